import { beforeAll, describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { exactSpectralNorm, kernelMatrix, powerIterationStep, spectralNormalization, SpectralNormalization } from "../../lib/layers/spectral-normalization";
import { loadModel, saveModel } from "../../lib/checkpoints";
import { seedGlobalRandom } from "../../lib/random";

beforeAll(async () => {
  await tf.setBackend("cpu");
  seedGlobalRandom(7);
});

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const uOf = (layer: SpectralNormalization) => values(layer.nonTrainableWeights[layer.nonTrainableWeights.length - 1].read());

/** A one-layer model wrapping `inner`, on inputs of `shape`. */
function wrapped(inner: tf.layers.Layer, shape: number[]): { model: tf.LayersModel; sn: SpectralNormalization } {
  const sn = spectralNormalization({ layer: inner });
  const x = tf.input({ shape });
  const model = tf.model({ inputs: x, outputs: sn.apply(x) as tf.SymbolicTensor });
  return { model, sn };
}

describe("powerIterationStep", () => {
  it("converges to the largest singular value of a known matrix", () => {
    // W = diag(3, 1) rotated: singular values 3 and 1.
    const w = tf.tensor2d([[3, 0], [0, 1]]);
    let u: tf.Tensor1D = tf.tensor1d([1, 1]);
    let sigma = 0;
    for (let i = 0; i < 30; i++) {
      const r = powerIterationStep(w, u);
      u.dispose();
      u = r.u;
      sigma = r.sigma.dataSync()[0];
      tf.dispose([r.v, r.sigma]);
    }
    expect(sigma).toBeCloseTo(3, 5);
    expect(Math.abs(values(u)[0])).toBeCloseTo(1, 5);
  });

  it("returns unit vectors and σ = uᵀWv on a rectangular matrix", () => {
    const w = tf.tensor2d([[1, 2, 3], [4, 5, 6]]); // [dOut 2, dIn 3]
    const r = powerIterationStep(w, tf.tensor1d([1, 0]));
    expect(r.u.shape).toEqual([2]);
    expect(r.v.shape).toEqual([3]);
    expect(tf.norm(r.u).dataSync()[0]).toBeCloseTo(1, 5);
    expect(tf.norm(r.v).dataSync()[0]).toBeCloseTo(1, 5);
    const uwv = tf.sum(tf.mul(r.u, tf.matMul(w, tf.reshape(r.v, [3, 1])).reshape([2]))).dataSync()[0];
    expect(r.sigma.dataSync()[0]).toBeCloseTo(uwv, 5);
  });
});

describe("SpectralNormalization", () => {
  it("normalizes a dense kernel to spectral norm ≈ 1 (checked by SVD) and keeps output shapes", () => {
    const { model, sn } = wrapped(tf.layers.dense({ units: 16 }), [24]);
    const x = tf.randomNormal([5, 24]);
    for (let i = 0; i < 40; i++) tf.dispose(model.apply(x, { training: true }) as tf.Tensor);
    const kernel = (sn.layer as any).kernel.read() as tf.Tensor4D;
    expect(exactSpectralNorm(kernel)).toBeGreaterThan(1.5); // the raw kernel is not normalized
    expect(sn.sigma()).toBeCloseTo(exactSpectralNorm(kernel), 3);
    const normalized = sn.normalizedKernel();
    expect(exactSpectralNorm(normalized)).toBeCloseTo(1, 3);
    expect((model.predict(x) as tf.Tensor).shape).toEqual([5, 16]);
  });

  it("works on conv2d and conv2dTranspose kernels (reshaped to [cOut, kh·kw·cIn])", () => {
    for (const inner of [tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: "same" }), tf.layers.conv2dTranspose({ filters: 4, kernelSize: 4, strides: 2, padding: "same" })]) {
      const { model, sn } = wrapped(inner, [5, 5, 3]);
      const x = tf.randomNormal([2, 5, 5, 3]);
      for (let i = 0; i < 60; i++) tf.dispose(model.apply(x, { training: true }) as tf.Tensor);
      const kernel = (sn.layer as any).kernel.read() as tf.Tensor4D;
      expect(kernelMatrix(kernel).shape).toEqual([kernel.shape[3], kernel.shape[0] * kernel.shape[1] * kernel.shape[2]]);
      expect(exactSpectralNorm(sn.normalizedKernel())).toBeCloseTo(1, 2);
      const y = model.predict(x) as tf.Tensor;
      expect(y.shape).toEqual(inner.getClassName() === "Conv2D" ? [2, 5, 5, 6] : [2, 10, 10, 4]);
    }
  });

  it("computes the inner layer with W/σ: output equals dense(x; W/σ) + b", () => {
    const { model, sn } = wrapped(tf.layers.dense({ units: 3, biasInitializer: "ones" }), [4]);
    const x = tf.randomNormal([2, 4]);
    const y = model.predict(x) as tf.Tensor;
    const [w, b] = sn.layer.getWeights();
    const expected = tf.add(tf.matMul(x, tf.div(w, sn.sigma())), b);
    values(y).forEach((v, i) => expect(v).toBeCloseTo(expected.dataSync()[i], 5));
  });

  it("keeps u across calls in training mode and leaves it unchanged in inference", () => {
    const { model, sn } = wrapped(tf.layers.dense({ units: 8 }), [6]);
    const x = tf.randomNormal([3, 6]);
    const u0 = uOf(sn);
    tf.dispose(model.apply(x, { training: false }) as tf.Tensor);
    tf.dispose(model.predict(x) as tf.Tensor);
    expect(uOf(sn)).toEqual(u0);
    tf.dispose(model.apply(x, { training: true }) as tf.Tensor);
    const u1 = uOf(sn);
    expect(u1).not.toEqual(u0);
    tf.dispose(model.apply(x, { training: true }) as tf.Tensor);
    expect(uOf(sn)).not.toEqual(u1); // continued from u1, not restarted
    // Continuing from the stored u converges: after many calls, one more call barely moves it.
    for (let i = 0; i < 50; i++) tf.dispose(model.apply(x, { training: true }) as tf.Tensor);
    const before = uOf(sn);
    tf.dispose(model.apply(x, { training: true }) as tf.Tensor);
    uOf(sn).forEach((v, i) => expect(Math.abs(v)).toBeCloseTo(Math.abs(before[i]), 3));
  });

  it("trains without leaking tensors; the gradient reaches the kernel through σ", () => {
    const { model, sn } = wrapped(tf.layers.dense({ units: 4 }), [5]);
    const opt = tf.train.adam(1e-2);
    const x = tf.randomNormal([8, 5]);
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(model.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar, model.trainableWeights.map((w) => w.read() as tf.Variable));
      (opt as tf.Optimizer).applyGradients(grads);
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    expect(model.trainableWeights.length).toBe(2); // kernel, bias; u is not trainable
    expect(model.nonTrainableWeights.length).toBe(1);
    // W/σ(W) does not change when W is scaled, so the gradient (taken through σ) is orthogonal to W.
    const kernel = (sn.layer as any).kernel.read() as tf.Variable;
    const { value, grads } = tf.variableGrads(() => tf.sum(model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, [kernel]);
    const g = grads[kernel.name];
    expect(tf.norm(g).dataSync()[0]).toBeGreaterThan(1e-2);
    expect(Math.abs(tf.sum(tf.mul(g, kernel)).dataSync()[0])).toBeLessThan(1e-4 * tf.norm(g).dataSync()[0] * tf.norm(kernel).dataSync()[0] + 1e-5);
    tf.dispose([value, g]);
  });

  it("round-trips through saveModel/loadModel with the same outputs and the same u", async () => {
    const { model, sn } = wrapped(tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: "relu" }), [6, 6, 2]);
    const x = tf.randomNormal([2, 6, 6, 2]);
    for (let i = 0; i < 5; i++) tf.dispose(model.apply(x, { training: true }) as tf.Tensor);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sn-"));
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    const snLoaded = loaded.layers[1] as SpectralNormalization;
    expect(snLoaded).toBeInstanceOf(SpectralNormalization);
    expect(snLoaded.layer.getClassName()).toBe("Conv2D");
    expect(uOf(snLoaded)).toEqual(uOf(sn));
    expect(values(loaded.predict(x) as tf.Tensor)).toEqual(values(model.predict(x) as tf.Tensor));
    expect(snLoaded.getConfig().powerIterations).toBe(1);
  });

  it("rejects a layer without a kernel and a bad iteration count", () => {
    expect(() => spectralNormalization({ layer: tf.layers.dense({ units: 2 }), powerIterations: 0 })).toThrow(/powerIterations/);
    const x = tf.input({ shape: [3] });
    expect(() => spectralNormalization({ layer: tf.layers.activation({ activation: "relu" }) }).apply(x)).toThrow(/no kernel/);
  });
});
