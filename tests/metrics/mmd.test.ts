import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { medianHeuristicBandwidth, mmd2, mmdDetailed, rbfKernel } from "../../lib/metrics/mmd";
import { gaussianRows } from "./helpers";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const k = (a: number, b: number, s = 1) => Math.exp(-((a - b) ** 2) / (2 * s * s));

describe("MMD² closed forms", () => {
  it("tiny 1-D case: X = {0, 1}, Y = {2, 3}, σ = 1", () => {
    const x = [[0], [1]];
    const y = [[2], [3]];
    const kxy = k(0, 2) + k(0, 3) + k(1, 2) + k(1, 3);
    // Unbiased: off-diagonal pairs only within X and within Y.
    const unbiased = (2 * k(0, 1)) / 2 + (2 * k(2, 3)) / 2 - (2 * kxy) / 4;
    // Biased: all pairs, diagonal k = 1 included.
    const biased = (2 + 2 * k(0, 1)) / 4 + (2 + 2 * k(2, 3)) / 4 - (2 * kxy) / 4;
    expect(mmd2(x, y, { bandwidth: 1 })).toBeCloseTo(unbiased, 6);
    expect(mmd2(x, y, { bandwidth: 1, estimator: "biased" })).toBeCloseTo(biased, 6);
  });

  it("one point each: biased MMD² = 2 − 2k(x, y); unbiased needs ≥ 2 points", () => {
    expect(mmd2([[0, 0]], [[1, 1]], { bandwidth: 2, estimator: "biased" })).toBeCloseTo(2 - 2 * Math.exp(-2 / 8), 6);
    expect(() => mmd2([[0, 0]], [[1, 1]], { bandwidth: 2 })).toThrow(/at least 2/);
  });

  it("several bandwidths = sum of the single-bandwidth MMD²s (the kernels add)", () => {
    const x = gaussianRows(30, [0, 0], 1, 1);
    const y = gaussianRows(30, [1, 0], 1, 2);
    const sum = mmd2(x, y, { bandwidth: 0.5 }) + mmd2(x, y, { bandwidth: 2 });
    expect(mmd2(x, y, { bandwidth: [0.5, 2] })).toBeCloseTo(sum, 5);
  });

  it("rbfKernel entries are exp(−‖a − b‖²/2σ²)", () => {
    const a = tf.tensor2d([[0, 0], [1, 2]]);
    const b = tf.tensor2d([[1, 0]]);
    const K = rbfKernel(a, b, 1.5);
    const v = K.arraySync();
    tf.dispose([a, b, K]);
    expect(v[0][0]).toBeCloseTo(Math.exp(-1 / (2 * 2.25)), 6);
    expect(v[1][0]).toBeCloseTo(Math.exp(-4 / (2 * 2.25)), 6);
  });
});

describe("median heuristic", () => {
  it("σ = median pairwise distance of the pooled sample", () => {
    // Pooled {0, 1, 3}: distances 1, 3, 2 → median 2.
    expect(medianHeuristicBandwidth([[0], [1]], [[3]])).toBeCloseTo(2, 6);
    // Pooled {0, 1, 3, 7}: distances 1, 3, 7, 2, 6, 4 → median (3 + 4) / 2.
    expect(medianHeuristicBandwidth([[0], [1]], [[3], [7]])).toBeCloseTo(3.5, 5);
  });
});

describe("MMD² on samples", () => {
  it("same distribution: the unbiased estimate averages to ≈ 0; the biased one is > 0", () => {
    const unbiased: number[] = [];
    const biased: number[] = [];
    for (let r = 0; r < 30; r++) {
      const x = gaussianRows(40, [0, 0], 1, 100 + 2 * r);
      const y = gaussianRows(40, [0, 0], 1, 101 + 2 * r);
      unbiased.push(mmd2(x, y, { bandwidth: 1 }));
      biased.push(mmd2(x, y, { bandwidth: 1, estimator: "biased" }));
    }
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const sd = Math.sqrt(mean(unbiased.map((v) => (v - mean(unbiased)) ** 2)));
    expect(Math.abs(mean(unbiased))).toBeLessThan((3 * sd) / Math.sqrt(unbiased.length));
    expect(unbiased.some((v) => v < 0)).toBe(true); // unbiased ⇒ can go negative
    expect(Math.min(...biased)).toBeGreaterThan(0);
    expect(mean(biased)).toBeGreaterThan(mean(unbiased) + 0.01);
  });

  it("shifted Gaussians: positive and increasing with the shift", () => {
    const x = gaussianRows(200, [0, 0], 1, 7);
    const base = gaussianRows(200, [0, 0], 1, 8);
    const shifts = [0.25, 0.5, 1, 2, 4];
    const values = shifts.map((s) => mmd2(x, base.map(([a, b]) => [a + s, b]), { bandwidth: 1 }));
    expect(values[0]).toBeGreaterThan(0);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1]);
    // The default (median heuristic) also detects a unit shift, and reports its σ.
    const r = mmdDetailed(x, base.map(([a, b]) => [a + 1, b]));
    expect(r.mmd2).toBeGreaterThan(0.05);
    expect(r.bandwidths).toHaveLength(1);
    expect(r.bandwidths[0]).toBeGreaterThan(1);
  });

  it("tensor inputs give the same value and leak no tensor", () => {
    const x = gaussianRows(60, [0, 0, 0], 1, 9);
    const y = gaussianRows(50, [0.5, 0, 0], 1, 10);
    const tx = tf.tensor2d(x);
    const ty = tf.tensor2d(y);
    const before = tf.memory().numTensors;
    const a = mmd2(tx, ty, { chunkSize: 16 });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([tx, ty]);
    expect(a).toBeCloseTo(mmd2(x, y), 6);
  });
});
