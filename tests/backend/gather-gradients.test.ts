/**
 * Gather / embedding gradients on wasm (UnsortedSegmentSum, missing from stock wasm) against the
 * cpu backend, relative error <= 1e-4; and UnsortedSegmentSum's edge cases.
 */
import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { onCpuAndWasm, randn, relErr, tensor } from "./helpers";

describe("gather gradients on wasm match cpu", () => {
  it("tf.gather on axis 0 with repeated indices, and on axis 1 with 2-D indices", async () => {
    const { cpu, wasm } = await onCpuAndWasm(() => {
      const p = tensor([10, 4], 1);
      const idx = tf.tensor1d([3, 1, 3, 9, 0, 3, 7], "int32");
      const r = tensor([7, 4], 2);
      const g0 = tf.grad((q: tf.Tensor) => tf.sum(tf.mul(tf.gather(q, idx), r)))(p);
      const p1 = tensor([3, 10, 2], 3);
      const idx1 = tf.tensor2d([[9, 2, 2], [0, 5, 9]], [2, 3], "int32");
      const r1 = tensor([3, 2, 3, 2], 4);
      const g1 = tf.grad((q: tf.Tensor) => tf.sum(tf.mul(tf.gather(q, idx1, 1), r1)))(p1);
      return [g0, g1];
    });
    for (let j = 0; j < cpu.length; j++) expect(relErr(cpu[j], wasm[j])).toBeLessThanOrEqual(1e-4);
    expect(wasm[0][3 * 4]).not.toBe(0); // row 3 gathered three times got a gradient
  });

  it("an embedding layer (the class embedding of a conditional GAN) gets the cpu gradient", async () => {
    const { cpu, wasm } = await onCpuAndWasm(() => {
      const emb = tf.layers.embedding({ inputDim: 10, outputDim: 6, embeddingsInitializer: "zeros" });
      emb.build([null, 5]);
      emb.setWeights([tensor([10, 6], 5)]);
      const ids = tf.tensor2d([[1, 2, 2, 9, 0], [4, 4, 4, 1, 3]], [2, 5], "int32");
      const r = tensor([2, 5, 6], 6);
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(emb.apply(ids) as tf.Tensor, r)) as tf.Scalar, [emb.trainableWeights[0].read() as tf.Variable]);
      return Object.values(grads);
    });
    expect(relErr(cpu[0], wasm[0])).toBeLessThanOrEqual(1e-4);
  });
});

describe("UnsortedSegmentSum on wasm", () => {
  it("sums rows per segment, drops out-of-range ids, keeps int32, matches cpu", async () => {
    const { cpu, wasm, shapes } = await onCpuAndWasm(() => {
      const x = tf.tensor(randn(6 * 3, 8), [6, 3]);
      const ids = tf.tensor1d([2, 0, 2, -1, 5, 1], "int32"); // -1 and 5 are outside [0, 4)
      const xi = tf.tensor2d([[1, 2], [3, 4], [5, 6]], [3, 2], "int32");
      return [tf.unsortedSegmentSum(x, ids, 4), tf.unsortedSegmentSum(xi, tf.tensor1d([1, 1, 0], "int32"), 3)];
    });
    expect(shapes).toEqual([[4, 3], [3, 2]]);
    expect(relErr(cpu[0], wasm[0])).toBeLessThanOrEqual(1e-6);
    expect(Array.from(wasm[1])).toEqual([5, 6, 4, 6, 0, 0]);
    expect(Array.from(wasm[0].slice(9, 12))).toEqual([0, 0, 0]); // segment 3: no member
  });
});
