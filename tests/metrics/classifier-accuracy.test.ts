import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import {
  argmaxLabels,
  bestMatchingAccuracy,
  conditionalAccuracy,
  confusionMatrix,
  hungarian,
  labelPreservation,
} from "../../lib/metrics/classifier-accuracy";
import { createRng } from "../../lib/random";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** Minimum assignment cost by trying every injective row → column map (small sizes only). */
function bruteForce(cost: number[][]): number {
  const rows = cost.length;
  const cols = cost[0].length;
  if (rows > cols) return bruteForce(Array.from({ length: cols }, (_, j) => cost.map((r) => r[j])));
  let best = Infinity;
  const used = new Array(cols).fill(false);
  const go = (i: number, acc: number) => {
    if (i === rows) {
      best = Math.min(best, acc);
      return;
    }
    for (let j = 0; j < cols; j++) {
      if (used[j]) continue;
      used[j] = true;
      go(i + 1, acc + cost[i][j]);
      used[j] = false;
    }
  };
  go(0, 0);
  return best;
}

describe("hungarian", () => {
  it("finds the optimum where greedy does not", () => {
    // Maximise [[10, 9], [9, 1]]: greedy takes 10 then 1 (= 11); optimum is 9 + 9 = 18.
    const { assignment, totalCost } = hungarian([
      [-10, -9],
      [-9, -1],
    ]);
    expect(assignment).toEqual([1, 0]);
    expect(totalCost).toBe(-18);
  });

  it("matches brute force on random square and rectangular matrices", () => {
    const rng = createRng(11);
    for (let trial = 0; trial < 60; trial++) {
      const rows = 1 + rng.int(6);
      const cols = 1 + rng.int(6);
      const cost = Array.from({ length: rows }, () => Array.from({ length: cols }, () => Math.round(rng.uniform() * 20 - 5)));
      const { assignment, totalCost } = hungarian(cost);
      expect(totalCost).toBeCloseTo(bruteForce(cost), 9);
      // A valid matching: distinct columns, min(rows, cols) of them assigned.
      const assigned = assignment.filter((j) => j >= 0);
      expect(new Set(assigned).size).toBe(assigned.length);
      expect(assigned.length).toBe(Math.min(rows, cols));
    }
  });
});

describe("conditional accuracy and label preservation", () => {
  it("count the matching labels", () => {
    expect(conditionalAccuracy([0, 1, 2, 3], [0, 1, 2, 0])).toBe(0.75);
    expect(labelPreservation(Uint8Array.from([5, 5, 1, 1, 0]), [5, 4, 1, 1, 0])).toBe(0.8);
    const a = tf.tensor1d([1, 2, 3], "int32");
    const b = tf.tensor1d([1, 2, 4], "int32");
    expect(conditionalAccuracy(a, b)).toBeCloseTo(2 / 3, 12);
    tf.dispose([a, b]);
  });

  it("reject different lengths", () => {
    expect(() => conditionalAccuracy([0, 1], [0])).toThrow(/2 labels/);
  });

  it("confusionMatrix and argmaxLabels", () => {
    expect(confusionMatrix([0, 0, 1], [1, 1, 0])).toEqual([
      [0, 2],
      [1, 0],
    ]);
    const p = tf.tensor2d([
      [0.1, 0.7, 0.2],
      [0.8, 0.1, 0.1],
    ]);
    expect(argmaxLabels(p)).toEqual([1, 0]);
    p.dispose();
  });
});

describe("bestMatchingAccuracy (InfoGAN categorical code vs digits)", () => {
  it("a permuted code is a perfect classifier; the mapping undoes the permutation", () => {
    const perm = [3, 7, 0, 9, 1, 4, 8, 2, 6, 5]; // code c stands for digit perm[c]
    const rng = createRng(3);
    const labels = Array.from({ length: 500 }, () => rng.int(10));
    const inv = new Array(10);
    perm.forEach((d, c) => (inv[d] = c));
    const codes = labels.map((y) => inv[y]);
    const r = bestMatchingAccuracy(codes, labels, 10);
    expect(r.accuracy).toBe(1);
    expect(r.mapping).toEqual(perm);
  });

  it("80% consistent codes → 0.8 (k = 10)", () => {
    const rng = createRng(4);
    const labels: number[] = [];
    const codes: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const y = i % 10;
      labels.push(y);
      codes.push(i % 50 < 40 ? (y + 3) % 10 : (y + 4 + rng.int(9)) % 10); // wrong code ≠ (y + 3)
    }
    expect(bestMatchingAccuracy(codes, labels, 10).accuracy).toBeCloseTo(0.8, 12);
  });

  it("equals the brute-force optimum over all one-to-one mappings on a small noisy case", () => {
    const rng = createRng(5);
    const codes = Array.from({ length: 200 }, () => rng.int(4));
    const labels = codes.map((c) => (rng.uniform() < 0.5 ? (c + 1) % 4 : rng.int(4)));
    const r = bestMatchingAccuracy(codes, labels, 4);
    const counts = confusionMatrix(codes, labels, 4, 4);
    const best = -bruteForce(counts.map((row) => row.map((v) => -v)));
    expect(r.accuracy).toBeCloseTo(best / 200, 12);
  });

  it("more codes than classes: extra codes map to −1 and count as errors", () => {
    const r = bestMatchingAccuracy([0, 1, 2, 2], [0, 1, 1, 1], 3, 2);
    expect(r.mapping.filter((m) => m === -1)).toHaveLength(1);
    expect(r.accuracy).toBe(0.75); // 0→0, 2→1 (2 samples): 3 of 4
    expect(() => bestMatchingAccuracy([0, 5], [0, 1], 3)).toThrow(/≥ k/);
  });
});
