/**
 * Gradient checks of our wasm conv kernels against the cpu backend: conv2d (forward on XNNPACK,
 * input gradient = Conv2DBackpropInput, weight gradient = Conv2DBackpropFilter) and conv2dTranspose
 * (forward = Conv2DBackpropInput; its gradients = conv2d and Conv2DBackpropFilter), over strides,
 * paddings, kernel sizes, odd sizes, batch 1 and 1 / many channels; both implementation paths of
 * each kernel. Relative error (max abs difference / max abs value) <= 1e-4.
 */
import { afterEach, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { backpropInputTuning } from "../../lib/backend/wasm-kernels/conv2d_backprop_input";
import { backpropFilterTuning } from "../../lib/backend/wasm-kernels/conv2d_backprop_filter";
import { simdTuning } from "../../lib/backend/wasm-kernels/simd";
import { randn, relErr, tensor, useCpu, useWasm } from "./helpers";

type Pad = "same" | "valid" | number | [[number, number], [number, number], [number, number], [number, number]];
interface Case { x: [number, number, number, number]; k: number; outC: number; s: number | [number, number]; pad: Pad }

const CASES: Case[] = [
  { x: [2, 7, 7, 3], k: 3, outC: 4, s: 1, pad: "same" },
  { x: [2, 8, 8, 16], k: 4, outC: 8, s: 2, pad: "same" }, // the DCGAN layer shape, scaled down
  { x: [1, 9, 9, 12], k: 5, outC: 10, s: 2, pad: "valid" }, // batch 1, odd size, k5
  { x: [3, 11, 10, 9], k: 3, outC: 1, s: 2, pad: [[0, 0], [2, 1], [0, 2], [0, 0]] }, // explicit, 1 output channel
  { x: [2, 6, 6, 1], k: 2, outC: 5, s: 2, pad: "same" }, // 1 input channel
  { x: [2, 5, 5, 8], k: 1, outC: 8, s: 2, pad: "valid" }, // k1 s2: some phases have no taps
  { x: [2, 13, 13, 10], k: 4, outC: 3, s: 3, pad: "same" }, // stride 3
  { x: [1, 5, 7, 2], k: 5, outC: 2, s: 1, pad: "same" }, // k5 s1, non-square
  { x: [2, 9, 9, 6], k: 3, outC: 7, s: 2, pad: 1 }, // numeric padding
  { x: [2, 9, 8, 5], k: 4, outC: 6, s: [2, 1], pad: "valid" }, // different strides per axis
  { x: [1, 12, 12, 32], k: 4, outC: 32, s: 2, pad: "same" }, // many channels
];

/** y = conv2d(x, w); dx, dw of sum(y * r); z = conv2dTranspose(y', w) and its dy', dw of sum(z * r'). */
function convAndTranspose(c: Case, seed: number): tf.Tensor[] {
  const x = tensor(c.x, seed) as tf.Tensor4D;
  const w = tensor([c.k, c.k, c.x[3], c.outC], seed + 1) as tf.Tensor4D;
  const y = tf.conv2d(x, w, c.s, c.pad);
  const r = tensor(y.shape, seed + 2);
  const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad), r)))([x, w]);
  const yIn = tensor(y.shape, seed + 3) as tf.Tensor4D;
  const r2 = tensor(c.x, seed + 4);
  const convT = (a: tf.Tensor, b: tf.Tensor) => tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, c.x, c.s, c.pad);
  const z = convT(yIn, w);
  const [dyIn, dw2] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(convT(a, b), r2)))([yIn, w]);
  return [y, dx, dw, z, dyIn, dw2];
}
const NAMES = ["conv2d", "conv2d dx", "conv2d dW", "conv2dTranspose", "conv2dTranspose dy", "conv2dTranspose dW"];

const read = (ts: tf.Tensor[]) => ts.map((t) => Float32Array.from(t.dataSync() as Float32Array));

afterEach(() => {
  backpropInputTuning.phaseMinInChannels = 8;
  backpropFilterTuning.swappedConvMinInChannels = 8;
  simdTuning.enabled = true;
});

describe("wasm conv gradients match the cpu backend (relative error <= 1e-4)", () => {
  it.each(CASES.map((c, i) => [JSON.stringify(c), c, i] as const))("%s", async (_name, c, i) => {
    await useCpu();
    const expected = tf.tidy(() => read(convAndTranspose(c, 10 * i)));
    await useWasm();
    // Both paths of each kernel (phases / col2im for dx, swapped conv / im2col for dW), each with
    // the SIMD helper module and with its JS fallback.
    for (const [phase, swapped] of [[1, 1], [1e9, 1e9]]) {
      for (const simd of [true, false]) {
        backpropInputTuning.phaseMinInChannels = phase;
        backpropFilterTuning.swappedConvMinInChannels = swapped;
        simdTuning.enabled = simd;
        const before = tf.memory().numTensors;
        const actual = tf.tidy(() => read(convAndTranspose(c, 10 * i)));
        expect(tf.memory().numTensors).toBe(before);
        actual.forEach((a, j) => {
          const err = relErr(expected[j], a);
          const path = `${phase === 1 ? "phases+swapped" : "col2im+im2col"}, ${simd ? "simd" : "js"}`;
          expect(err, `${NAMES[j]} (${path}): rel err ${err}`).toBeLessThanOrEqual(1e-4);
        });
      }
    }
  });
});

describe("conv gradient kernels: data formats and attributes", () => {
  it("NCHW inputs give the NHWC results, transposed", async () => {
    const dyShape = [2, 4, 4, 6], xShape = [2, 8, 8, 3], fShape = [3, 3, 3, 6];
    const run = () => tf.tidy(() => {
      const dy = tf.tensor(randn(192, 1), dyShape), w = tf.tensor(randn(162, 2), fShape), x = tf.tensor(randn(384, 3), xShape);
      const attrs = { strides: [2, 2], pad: "same" };
      const dxNHWC = tf.engine().runKernel("Conv2DBackpropInput", { dy, filter: w }, { ...attrs, dataFormat: "NHWC", inputShape: xShape }) as tf.Tensor;
      const dxNCHW = tf.engine().runKernel("Conv2DBackpropInput", { dy: dy.transpose([0, 3, 1, 2]), filter: w },
        { ...attrs, dataFormat: "NCHW", inputShape: [2, 3, 8, 8] }) as tf.Tensor;
      const dwNHWC = tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, { ...attrs, dataFormat: "NHWC", filterShape: fShape }) as tf.Tensor;
      const dwNCHW = tf.engine().runKernel("Conv2DBackpropFilter", { x: x.transpose([0, 3, 1, 2]), dy: dy.transpose([0, 3, 1, 2]) },
        { ...attrs, dataFormat: "NCHW", filterShape: fShape }) as tf.Tensor;
      return read([dxNHWC, dxNCHW.transpose([0, 2, 3, 1]), dwNHWC, dwNCHW]);
    });
    await useCpu();
    const cpu = run();
    await useWasm();
    const wasm = run();
    for (let j = 0; j < 4; j++) expect(relErr(cpu[j], wasm[j])).toBeLessThanOrEqual(1e-4);
    expect(relErr(wasm[0], wasm[1])).toBeLessThanOrEqual(1e-6);
  });

  it("dilations (not produced by tfjs 4.22's gradients) are computed, bad values are rejected by name", async () => {
    await useWasm();
    // dx[i] = sum_{o,t: o*s + t*d - p = i} dy[o] W[t], checked against a direct loop (1-D, 1 channel).
    const n = 9, k = 3, d = 2, s = 1;
    const out = n - (k - 1) * d; // valid padding
    const dyv = randn(out, 5), wv = randn(k, 6);
    const expected = new Float32Array(n);
    for (let o = 0; o < out; o++) for (let t = 0; t < k; t++) expected[o * s + t * d] += dyv[o] * wv[t];
    const dx = tf.tidy(() => (tf.engine().runKernel("Conv2DBackpropInput", { dy: tf.tensor(dyv, [1, 1, out, 1]), filter: tf.tensor(wv, [1, k, 1, 1]) },
      { strides: [1, s], pad: "valid", dataFormat: "NHWC", inputShape: [1, 1, n, 1], dilations: [1, d] }) as tf.Tensor).dataSync());
    expect(relErr(expected, dx)).toBeLessThanOrEqual(1e-6);
    const xv = randn(n, 7);
    const dwExpected = new Float32Array(k);
    for (let o = 0; o < out; o++) for (let t = 0; t < k; t++) dwExpected[t] += xv[o * s + t * d] * dyv[o];
    for (const swapped of [1, 1e9]) {
      backpropFilterTuning.swappedConvMinInChannels = swapped;
      const dw = tf.tidy(() => (tf.engine().runKernel("Conv2DBackpropFilter", { x: tf.tensor(xv, [1, 1, n, 1]), dy: tf.tensor(dyv, [1, 1, out, 1]) },
        { strides: [1, s], pad: "valid", dataFormat: "NHWC", filterShape: [1, k, 1, 1], dilations: [1, d] }) as tf.Tensor).dataSync());
      expect(relErr(dwExpected, dw)).toBeLessThanOrEqual(1e-6);
    }
    expect(() => tf.tidy(() => tf.engine().runKernel("Conv2DBackpropInput", { dy: tf.zeros([1, 2, 2, 1]), filter: tf.zeros([1, 1, 1, 1]) },
      { strides: 1, pad: "valid", dataFormat: "NHWC", inputShape: [1, 2, 2, 1], dilations: [0, 1] }))).toThrow(/Conv2DBackpropInput \(wasm\): unsupported attribute dilations=\[0,1\]/);
    expect(() => tf.tidy(() => tf.engine().runKernel("Conv2DBackpropFilter", { x: tf.zeros([1, 2, 2, 1]), dy: tf.zeros([1, 2, 2, 1]) },
      { strides: 1, pad: "valid", dataFormat: "NDHWC", filterShape: [1, 1, 1, 1] }))).toThrow(/unknown conv dataFormat "NDHWC"/);
  });
});
