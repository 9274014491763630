import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { kthNeighbourSqRadii, precisionRecall } from "../../lib/metrics/precision-recall";
import { gaussianRows } from "./helpers";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("k-NN radii", () => {
  it("are the distance to the k-th nearest other point", () => {
    const x = tf.tensor2d([[0], [1], [3], [7]]);
    const before = tf.memory().numTensors;
    const r1 = kthNeighbourSqRadii(x, 1);
    const r2 = kthNeighbourSqRadii(x, 2, 3); // chunk of 3 rows exercises the blocking
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    expect(Array.from(r1)).toEqual([1, 1, 4, 16]); // squared distances
    expect(Array.from(r2)).toEqual([9, 4, 9, 36]);
  });
});

describe("improved precision and recall", () => {
  it("identical sets → precision = recall = 1", () => {
    const x = gaussianRows(300, [0, 0, 0], 1, 1);
    const { precision, recall } = precisionRecall(x, x);
    expect(precision).toBe(1);
    expect(recall).toBe(1);
  });

  it("disjoint far-apart clusters → 0 and 0", () => {
    const real = gaussianRows(200, [0, 0], 1, 2);
    const fake = gaussianRows(200, [100, 100], 1, 3);
    expect(precisionRecall(real, fake)).toEqual({ precision: 0, recall: 0 });
  });

  it("fake = one mode of a two-mode real set → precision ≈ 1, recall ≈ 0.5", () => {
    const modeA = gaussianRows(200, [-10, 0], 1, 4);
    const modeB = gaussianRows(200, [10, 0], 1, 5);
    const real = [...modeA, ...modeB];
    // Exactly the real points of mode A.
    const exact = precisionRecall(real, modeA);
    expect(exact.precision).toBe(1);
    expect(exact.recall).toBe(0.5);
    // Fresh samples from mode A (a collapsed generator that is otherwise good).
    const fresh = precisionRecall(real, gaussianRows(200, [-10, 0], 1, 6));
    expect(fresh.precision).toBeGreaterThan(0.9);
    expect(fresh.recall).toBeGreaterThan(0.4);
    expect(fresh.recall).toBeLessThanOrEqual(0.5);
  });

  it("same results for tensors as for rows, without leaking tensors", () => {
    const real = gaussianRows(150, [0, 0], 1, 7);
    const fake = gaussianRows(150, [0.5, 0], 1.3, 8);
    const tr = tf.tensor2d(real);
    const tfk = tf.tensor2d(fake);
    const before = tf.memory().numTensors;
    const a = precisionRecall(tr, tfk, { chunkSize: 64 });
    expect(tf.memory().numTensors).toBe(before);
    tr.dispose();
    tfk.dispose();
    const b = precisionRecall(real, fake);
    expect(a).toEqual(b);
    expect(a.precision).toBeGreaterThan(0.3);
    expect(a.precision).toBeLessThan(1);
  });

  it("rejects k ≥ n and mismatched dimensions", () => {
    expect(() => precisionRecall([[0], [1], [2]], [[0], [1], [2]], { k: 3 })).toThrow(/k must be/);
    expect(() => precisionRecall([[0, 0], [1, 1]], [[0], [1]], { k: 1 })).toThrow(/dimensions differ/);
  });
});
