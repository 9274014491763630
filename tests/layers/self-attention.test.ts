import { beforeAll, describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { attentionFromKeysQueries, selfAttention, SelfAttention } from "../../lib/layers/self-attention";
import { exactSpectralNorm } from "../../lib/layers/spectral-normalization";
import { loadModel, saveModel } from "../../lib/checkpoints";
import { seedGlobalRandom } from "../../lib/random";

beforeAll(async () => {
  await tf.setBackend("cpu");
  seedGlobalRandom(11);
});

const values = (t: tf.Tensor) => Array.from(t.dataSync());

function attentionModel(shape: [number, number, number], args = {}): { model: tf.LayersModel; attn: SelfAttention } {
  const attn = selfAttention(args);
  const x = tf.input({ shape });
  return { model: tf.model({ inputs: x, outputs: attn.apply(x) as tf.SymbolicTensor }), attn };
}

/** Set γ (the last trainable weight) to a value. */
function setGamma(attn: SelfAttention, gamma: number): void {
  const w = attn.getWeights();
  w[6] = tf.tensor1d([gamma]);
  attn.setWeights(w);
}

describe("SelfAttention", () => {
  it("keeps the input shape; weights f, g: [C, C/8], h: [C, C], γ: [1]", () => {
    const { model, attn } = attentionModel([4, 5, 16]);
    const y = model.predict(tf.randomNormal([3, 4, 5, 16])) as tf.Tensor;
    expect(y.shape).toEqual([3, 4, 5, 16]);
    expect(attn.getWeights().map((w) => w.shape)).toEqual([[16, 2], [16, 2], [16, 16], [2], [2], [16], [1]]);
  });

  it("starts with γ = 0, so the output equals the input", () => {
    const { model, attn } = attentionModel([3, 3, 8]);
    const x = tf.randomNormal([2, 3, 3, 8]);
    expect(attn.gammaValue()).toBe(0);
    expect(values(model.predict(x) as tf.Tensor)).toEqual(values(x));
  });

  it("has an attention map whose rows are distributions over the N = H·W positions", () => {
    const { model, attn } = attentionModel([4, 3, 8]);
    const x = tf.randomNormal([2, 4, 3, 8]);
    tf.dispose(model.predict(x) as tf.Tensor);
    const beta = attn.attentionMap(x as tf.Tensor4D);
    expect(beta.shape).toEqual([2, 12, 12]);
    values(tf.sum(beta, -1)).forEach((s) => expect(s).toBeCloseTo(1, 5));
    expect(tf.min(beta).dataSync()[0]).toBeGreaterThanOrEqual(0);
  });

  it("computes y = γ·(β h) + x, with β_{j,i} = softmax_i(f(x_i)ᵀ g(x_j)) (checked by loops)", () => {
    const { model, attn } = attentionModel([2, 2, 8]);
    setGamma(attn, 0.7);
    const x = tf.randomNormal([1, 2, 2, 8]);
    const [wf, wg, wh, bf, bg, bh] = attn.getWeights().map((w) => w.arraySync() as any);
    const xs = (x.reshape([4, 8]).arraySync() as number[][]);
    const proj = (w: number[][], b: number[], v: number[]) => b.map((bj, j) => bj + v.reduce((s, vi, i) => s + vi * w[i][j], 0));
    const f = xs.map((v) => proj(wf, bf, v));
    const g = xs.map((v) => proj(wg, bg, v));
    const h = xs.map((v) => proj(wh, bh, v));
    const expected: number[] = [];
    for (let j = 0; j < 4; j++) {
      const s = f.map((fi) => fi.reduce((acc, fk, k) => acc + fk * g[j][k], 0));
      const m = Math.max(...s);
      const e = s.map((si) => Math.exp(si - m));
      const z = e.reduce((a, b) => a + b, 0);
      for (let c = 0; c < 8; c++) expected.push(0.7 * e.reduce((acc, ei, i) => acc + (ei / z) * h[i][c], 0) + xs[j][c]);
    }
    values(model.predict(x) as tf.Tensor).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 4));
  });

  it("attentionFromKeysQueries: rows sum to 1 and equal queries attend like their scores", () => {
    const f = tf.tensor3d([[[1, 0], [0, 1], [1, 1]]]); // keys, N = 3
    const g = tf.tensor3d([[[2, 0], [0, 0], [0, 3]]]); // queries
    const beta = attentionFromKeysQueries(f, g);
    expect(beta.shape).toEqual([1, 3, 3]);
    const rows = beta.arraySync()[0];
    rows.forEach((r) => expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6));
    rows[1].forEach((v) => expect(v).toBeCloseTo(1 / 3, 6)); // a zero query attends uniformly
    expect(rows[0][0]).toBeCloseTo(rows[0][2], 6); // scores 2, 0, 2
    expect(rows[0][0]).toBeCloseTo(Math.exp(2) / (2 * Math.exp(2) + 1), 6);
  });

  it("trains γ away from 0 without leaking tensors", () => {
    const { model, attn } = attentionModel([3, 3, 8], { spectralNorm: true });
    const x = tf.randomNormal([4, 3, 3, 8]);
    const target = tf.randomNormal([4, 3, 3, 8]);
    const opt = tf.train.adam(1e-2);
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(tf.sub(model.apply(x, { training: true }) as tf.Tensor, target))) as tf.Scalar, model.trainableWeights.map((w) => w.read() as tf.Variable));
      (opt as tf.Optimizer).applyGradients(grads);
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    expect(Math.abs(attn.gammaValue())).toBeGreaterThan(1e-3);
    expect(model.nonTrainableWeights.length).toBe(3); // u of f, g, h
  });

  it("with spectralNorm, the effective projections have spectral norm ≈ 1", () => {
    const { model, attn } = attentionModel([2, 2, 16], { spectralNorm: true });
    const x = tf.randomNormal([1, 2, 2, 16]);
    for (let i = 0; i < 80; i++) tf.dispose(model.apply(x, { training: true }) as tf.Tensor);
    const [wf, , wh] = attn.getWeights();
    const [uf, , uh] = attn.nonTrainableWeights.map((w) => w.read());
    for (const [w, u] of [[wf, uf], [wh, uh]] as const) {
      const sigma = tf.norm(tf.matMul(w, tf.reshape(tf.div(u, tf.norm(u)), [-1, 1]))).dataSync()[0];
      expect(sigma).toBeCloseTo(exactSpectralNorm(w), 2);
    }
    const eff = attn.effectiveKernels();
    for (const k of [eff.f, eff.g, eff.h]) expect(exactSpectralNorm(k)).toBeCloseTo(1, 2);
    expect(exactSpectralNorm(wh)).toBeGreaterThan(1.2); // the raw W_h is not normalized
  });

  it("round-trips through saveModel/loadModel (config and weights, including γ)", async () => {
    const { model, attn } = attentionModel([3, 4, 8], { reduction: 4, spectralNorm: true });
    setGamma(attn, 0.5);
    const x = tf.randomNormal([2, 3, 4, 8]);
    tf.dispose(model.apply(x, { training: true }) as tf.Tensor);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "attn-"));
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    const attnLoaded = loaded.layers[1] as SelfAttention;
    expect(attnLoaded).toBeInstanceOf(SelfAttention);
    expect(attnLoaded.getConfig()).toMatchObject({ reduction: 4, spectralNorm: true, useBias: true });
    expect(attnLoaded.gammaValue()).toBeCloseTo(0.5, 6);
    expect(values(loaded.predict(x) as tf.Tensor)).toEqual(values(model.predict(x) as tf.Tensor));
  });

  it("rejects inputs that are not [batch, H, W, C]", () => {
    expect(() => selfAttention().apply(tf.input({ shape: [5] }))).toThrow(/\[batch, H, W, C\]/);
    expect(() => selfAttention({ reduction: 0 })).toThrow(/reduction/);
  });
});
