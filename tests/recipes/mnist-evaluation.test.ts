import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { evaluateImages } from "../../lib/recipes/mnist-evaluation";
import { heldOutNegativeElbo } from "../../lib/recipes/vae-mnist";
import { negativeElbo, vae } from "../../lib/models/vae";
import { loadMnist } from "../../lib/data/mnist";
import { seedGlobalRandom } from "../../lib/random";
import { initBackend } from "../../lib/backend/select";

let test: tf.Tensor4D;
beforeAll(async () => {
  await initBackend("wasm"); // the reference classifier's convolutions are slow on the cpu backend
  seedGlobalRandom(1);
  test = loadMnist().test.images;
});

describe("evaluateImages", () => {
  it("scores held-out digits against other held-out digits as near-perfect, and noise as far off", async () => {
    const a = test.slice([0, 0, 0, 0], [150, -1, -1, -1]);
    const b = test.slice([150, 0, 0, 0], [150, -1, -1, -1]);
    const real = await evaluateImages(a, b);
    expect(real.n).toBe(150);
    expect(real.classesCovered).toBe(10);
    expect(real.precision).toBeGreaterThan(0.6);
    expect(real.recall).toBeGreaterThan(0.6);
    expect(real.inceptionScore).toBeGreaterThan(7);
    expect(real.histogram.reduce((s, c) => s + c, 0)).toBe(150);
    const noise = tf.tidy(() => tf.clipByValue(tf.randomNormal([150, 28, 28, 1]), -1, 1));
    const bad = await evaluateImages(noise, b);
    expect(bad.fid).toBeGreaterThan(10 * real.fid);
    expect(bad.recall).toBeLessThan(0.2); // identical-looking noise covers none of the real digits
    expect(bad.classesCovered).toBeLessThan(10);
  });
});

describe("heldOutNegativeElbo", () => {
  it("averages the per-batch ELBO terms over the whole set", () => {
    const m = vae({ latentDim: 2, hidden: [8] });
    const x = test.slice([0, 0, 0, 0], [10, -1, -1, -1]);
    const r = heldOutNegativeElbo(m, x, 4); // batches of 4, 4, 2
    expect(r.loss).toBeCloseTo(r.reconstruction + r.kl, 3);
    // The KL term is deterministic given the encoder: compare with one batch of all 10.
    const [mean, logVar] = m.encoder.predict(x) as tf.Tensor2D[];
    const kl = tf.mean(tf.mul(0.5, tf.sum(tf.sub(tf.add(tf.square(mean), tf.exp(logVar)), tf.add(1, logVar)), 1))).dataSync()[0];
    expect(r.kl).toBeCloseTo(kl, 4);
    const once = negativeElbo(m, x);
    expect(Math.abs(r.reconstruction - once.reconstruction.dataSync()[0])).toBeLessThan(0.05 * once.reconstruction.dataSync()[0]);
  });
});
