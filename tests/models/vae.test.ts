import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { gaussianKl, interpolateCodes, negativeElbo, reparameterize, sampleVae, vae } from "../../lib/models/vae";
import { bernoulliNll } from "../../lib/models/autoencoder";
import { seedGlobalRandom } from "../../lib/random";

beforeAll(async () => {
  await tf.setBackend("cpu");
  seedGlobalRandom(5);
});

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe("gaussianKl (closed form)", () => {
  it("is 0 for the prior itself and ½Σ(μ² + σ² − 1 − log σ²) otherwise", () => {
    expect(values(gaussianKl(tf.zeros([2, 3]) as tf.Tensor2D, tf.zeros([2, 3]) as tf.Tensor2D))).toEqual([0, 0]);
    const mean = tf.tensor2d([[1, 0], [0.5, -2]]);
    const logVar = tf.tensor2d([[0, Math.log(4)], [-1, 0.3]]);
    const expected = [
      0.5 * (1 + 0) + 0.5 * (4 - 1 - Math.log(4)),
      0.5 * (0.25 + Math.exp(-1) - 1 + 1) + 0.5 * (4 + Math.exp(0.3) - 1 - 0.3),
    ];
    values(gaussianKl(mean, logVar)).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
  });

  it("matches a Monte-Carlo estimate E_q[log q(z) − log p(z)]", () => {
    const mean = tf.tensor2d([[0.8, -0.3, 1.5]]);
    const logVar = tf.tensor2d([[-0.5, 0.4, -1.2]]);
    const n = 50000;
    const mc = tf.tidy(() => {
      const eps = tf.randomNormal([n, 3]);
      const z = reparameterize(tf.tile(mean, [n, 1]), tf.tile(logVar, [n, 1]), eps);
      const logQ = tf.sum(tf.mul(-0.5, tf.add(tf.add(tf.square(eps), logVar), Math.log(2 * Math.PI))), 1);
      const logP = tf.sum(tf.mul(-0.5, tf.add(tf.square(z), Math.log(2 * Math.PI))), 1);
      return tf.mean(tf.sub(logQ, logP)).dataSync()[0];
    });
    expect(mc).toBeCloseTo(gaussianKl(mean, logVar).dataSync()[0], 1);
  });

  it("is never negative", () => {
    const kl = gaussianKl(tf.randomNormal([50, 4]) as tf.Tensor2D, tf.randomNormal([50, 4], 0, 2) as tf.Tensor2D);
    expect(tf.min(kl).dataSync()[0]).toBeGreaterThanOrEqual(0);
  });
});

describe("reparameterize", () => {
  it("is μ + σ·ε with σ = exp(½ logVar)", () => {
    const z = reparameterize(tf.tensor1d([1, -2]), tf.tensor1d([0, Math.log(9)]), tf.tensor1d([0.5, 1]));
    values(z).forEach((v, i) => expect(v).toBeCloseTo([1.5, 1][i], 5));
  });

  it("lets gradients flow to μ and logVar: ∂z/∂μ = 1, ∂z/∂logVar = ½σε", () => {
    const eps = tf.tensor1d([0.7, -1.3]);
    const [gMean, gLogVar] = tf.grads((m: tf.Tensor, lv: tf.Tensor) => tf.sum(reparameterize(m, lv, eps)))([tf.tensor1d([0.2, 0.4]), tf.tensor1d([0.6, -0.8])]);
    expect(values(gMean)).toEqual([1, 1]);
    values(gLogVar).forEach((v, i) => expect(v).toBeCloseTo(0.5 * Math.exp(0.5 * [0.6, -0.8][i]) * [0.7, -1.3][i], 5));
  });

  it("gives unbiased gradients of an expectation: ∇_μ E[z²] = 2μ, ∇_logVar E[z²] = σ²", () => {
    const n = 20000;
    const [gMean, gLogVar] = tf.grads((m: tf.Tensor, lv: tf.Tensor) => tf.mean(tf.square(reparameterize(tf.tile(m, [n]), tf.tile(lv, [n])))).mul(n))([tf.tensor1d([0.5]), tf.tensor1d([Math.log(2)])]);
    expect(Math.abs(gMean.dataSync()[0] / n - 1)).toBeLessThan(0.06);
    expect(Math.abs(gLogVar.dataSync()[0] / n - 2)).toBeLessThan(0.12);
  });
});

describe("vae", () => {
  it("builds an encoder with [mean, logVar] heads and a decoder to [28, 28, 1] logits", () => {
    const m = vae({ latentDim: 3, hidden: [16] });
    const [mean, logVar] = m.encoder.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor[];
    expect(mean.shape).toEqual([2, 3]);
    expect(logVar.shape).toEqual([2, 3]);
    expect((m.decoder.predict(tf.zeros([2, 3])) as tf.Tensor).shape).toEqual([2, 28, 28, 1]);
  });

  it("negativeElbo = reconstruction + β·KL, and samples/interpolations are images in [-1, 1]", () => {
    const m = vae({ latentDim: 3, hidden: [16] });
    const x = tf.clipByValue(tf.randomNormal([4, 28, 28, 1]), -1, 1);
    const t = negativeElbo(m, x, 0.5);
    expect(t.loss.dataSync()[0]).toBeCloseTo(t.reconstruction.dataSync()[0] + 0.5 * t.kl.dataSync()[0], 3);
    expect(t.kl.dataSync()[0]).toBeGreaterThanOrEqual(0);
    const s = sampleVae(m, 5);
    expect(s.shape).toEqual([5, 28, 28, 1]);
    expect(tf.max(tf.abs(s)).dataSync()[0]).toBeLessThanOrEqual(1);
    const path = interpolateCodes(m.decoder, tf.zeros([3]) as tf.Tensor1D, tf.ones([3]) as tf.Tensor1D, 4);
    expect(path.shape).toEqual([4, 28, 28, 1]);
    // The end points of the path decode the end codes.
    const ends = sampleVae(m, 2, tf.stack([tf.zeros([3]), tf.ones([3])]));
    values(tf.gather(path, [0, 3])).forEach((v, i) => expect(v).toBeCloseTo(ends.dataSync()[i], 5));
  });

  it("bernoulliNll is the summed binary cross-entropy of (x + 1)/2 against σ(logits)", () => {
    const logits = tf.tensor4d([0.3, -2, 5, 0], [1, 2, 2, 1]);
    const x = tf.tensor4d([1, -1, 0, 0.5], [1, 2, 2, 1]);
    const p = [1, 0, 0.5, 0.75];
    const s = (l: number) => 1 / (1 + Math.exp(-l));
    const expected = [0.3, -2, 5, 0].reduce((acc, l, i) => acc - (p[i] * Math.log(s(l)) + (1 - p[i]) * Math.log(1 - s(l))), 0);
    expect(bernoulliNll(logits, x).dataSync()[0]).toBeCloseTo(expected, 4);
  });
});
