import { beforeAll, describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { MinibatchDiscrimination, minibatchDiscrimination, minibatchDiscriminationFeatures } from "../../lib/layers/minibatch-discrimination";
import { loadModel, saveModel } from "../../lib/checkpoints/model-files";
import { seedGlobalRandom } from "../../lib/random";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** The paper's formula with plain loops: o_ib = Σ_j exp(−Σ_c |M_ibc − M_jbc|), M_i = f_i·T. */
function reference(f: number[][], T: number[][][]): number[][] {
  const [A, B, C] = [T.length, T[0].length, T[0][0].length];
  const M = f.map((fi) => Array.from({ length: B }, (_, b) => Array.from({ length: C }, (_, c) => fi.reduce((s, v, a) => s + v * T[a][b][c], 0))));
  void A;
  return M.map((Mi) => Array.from({ length: B }, (_, b) => M.reduce((s, Mj) => s + Math.exp(-Mi[b].reduce((l1, v, c) => l1 + Math.abs(v - Mj[b][c]), 0)), 0)));
}

describe("minibatchDiscriminationFeatures", () => {
  it("equals Salimans et al.'s formula computed with loops", () => {
    seedGlobalRandom(1);
    const f = tf.randomNormal([5, 3]) as tf.Tensor2D;
    const T = tf.randomNormal([3, 4, 2], 0, 0.5) as tf.Tensor3D;
    const o = minibatchDiscriminationFeatures(f, T);
    expect(o.shape).toEqual([5, 4]);
    const expected = reference(f.arraySync(), T.arraySync());
    const got = o.arraySync();
    for (let i = 0; i < 5; i++) for (let b = 0; b < 4; b++) expect(got[i][b]).toBeCloseTo(expected[i][b], 5);
    // Each term is in (0, 1] and the self term is exactly 1, so 1 ≤ o ≤ n.
    expect(Math.min(...got.flat())).toBeGreaterThanOrEqual(1 - 1e-6);
    expect(Math.max(...got.flat())).toBeLessThanOrEqual(5 + 1e-6);
    const ex = minibatchDiscriminationFeatures(f, T, { excludeSelf: true }).arraySync();
    for (let i = 0; i < 5; i++) for (let b = 0; b < 4; b++) expect(ex[i][b]).toBeCloseTo(expected[i][b] - 1, 5);
  });

  it("is n for a batch of copies and small for a spread-out batch", () => {
    const T = tf.ones([2, 3, 2]) as tf.Tensor3D;
    const copies = tf.tile(tf.tensor2d([[0.3, -0.2]]), [6, 1]) as tf.Tensor2D;
    const spread = tf.tensor2d([[0, 0], [10, 0], [20, 0], [30, 0], [40, 0], [50, 0]]);
    expect(Array.from(minibatchDiscriminationFeatures(copies, T).dataSync()).every((v) => Math.abs(v - 6) < 1e-5)).toBe(true);
    expect(Array.from(minibatchDiscriminationFeatures(spread, T).dataSync()).every((v) => Math.abs(v - 1) < 1e-5)).toBe(true);
  });

  it("rejects features whose width does not match T", () => {
    expect(() => minibatchDiscriminationFeatures(tf.zeros([4, 3]) as tf.Tensor2D, tf.zeros([2, 3, 2]) as tf.Tensor3D)).toThrow(/3 columns, T expects 2/);
  });
});

describe("MinibatchDiscrimination layer", () => {
  const buildModel = (args = {}) => {
    const input = tf.input({ shape: [6] });
    const h = tf.layers.dense({ units: 4, activation: "relu" }).apply(input) as tf.SymbolicTensor;
    const mb = minibatchDiscrimination({ numKernels: 3, kernelDim: 5, ...args }).apply(h) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 1 }).apply(mb) as tf.SymbolicTensor;
    return tf.model({ inputs: input, outputs: out });
  };

  it("concatenates [f, o(f)] and reports that shape", () => {
    seedGlobalRandom(2);
    const layer = minibatchDiscrimination({ numKernels: 3, kernelDim: 5 });
    const f = tf.randomNormal([7, 4]) as tf.Tensor2D;
    const out = layer.apply(f) as tf.Tensor;
    expect(out.shape).toEqual([7, 7]);
    expect(layer.computeOutputShape([null, 4])).toEqual([null, 7]);
    expect(layer.getWeights()[0].shape).toEqual([4, 3, 5]);
    const T = layer.getWeights()[0] as tf.Tensor3D;
    const expected = tf.concat([f, minibatchDiscriminationFeatures(f, T)], 1);
    expect(tf.max(tf.abs(tf.sub(out, expected))).dataSync()[0]).toBeLessThan(1e-6);
  });

  it("gets a gradient for T and leaks no tensors per training step", () => {
    seedGlobalRandom(3);
    const model = buildModel();
    const opt = tf.train.adam(1e-2);
    const x = tf.randomNormal([8, 6]);
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(model.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar, model.trainableWeights.map((w) => w.read() as tf.Variable));
      const gT = Object.entries(grads).find(([k]) => /\/T$/.test(k))![1];
      const normT = tf.tidy(() => tf.norm(gT).dataSync()[0]);
      (opt as tf.Optimizer).applyGradients(grads);
      tf.dispose([value, ...Object.values(grads)]);
      return normT;
    };
    expect(step()).toBeGreaterThan(0);
    const before = tf.memory().numTensors;
    step();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("round-trips through saveModel/loadModel with its config and weights", async () => {
    seedGlobalRandom(4);
    const model = buildModel({ excludeSelf: true, initStddev: 0.3 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mbd-"));
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    const layer = loaded.layers.find((l) => l instanceof MinibatchDiscrimination) as MinibatchDiscrimination;
    expect(layer).toBeDefined();
    expect([layer.numKernels, layer.kernelDim, layer.excludeSelf, layer.initStddev]).toEqual([3, 5, true, 0.3]);
    const x = tf.randomNormal([5, 6]);
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (loaded.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it("rejects bad arguments and non-flat inputs", () => {
    expect(() => minibatchDiscrimination({ numKernels: 0 })).toThrow(/numKernels/);
    expect(() => minibatchDiscrimination({ kernelDim: 1.5 })).toThrow(/kernelDim/);
    expect(() => minibatchDiscrimination().apply(tf.zeros([2, 3, 3, 1]))).toThrow(/flatten first/);
  });
});
