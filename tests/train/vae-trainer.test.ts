import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { VaeTrainer } from "../../lib/train/vae-trainer";
import { autoencoder, decodeImages, encodeImages } from "../../lib/models/autoencoder";
import { vae } from "../../lib/models/vae";
import { batchSampler } from "../../lib/data/batches";
import { loadMnist } from "../../lib/data/mnist";
import { createRng, seedGlobalRandom } from "../../lib/random";

let images: tf.Tensor4D;
beforeAll(async () => {
  await tf.setBackend("cpu");
  seedGlobalRandom(9);
  const mnist = loadMnist();
  images = mnist.train.images.slice([0, 0, 0, 0], [256, -1, -1, -1]) as tf.Tensor4D;
});

describe("VaeTrainer", () => {
  it("lowers the negative ELBO of a small VAE on MNIST, without leaking tensors", async () => {
    const m = vae({ latentDim: 4, hidden: [64] });
    const trainer = new VaeTrainer({ ...m, batchSize: 32, lr: 3e-3 });
    expect(trainer.config.kind).toBe("vae");
    const sample = batchSampler(images, undefined, createRng(1));
    const warm = sample(32).x;
    trainer.step(warm); // allocate the optimizer state
    warm.dispose();
    const before = tf.memory().numTensors;
    const history = await trainer.train({ steps: 40, sampleReal: sample });
    expect(tf.memory().numTensors).toBe(before);
    const first = history.loss.slice(0, 5).reduce((a, b) => a + b) / 5;
    const last = history.loss.slice(-5).reduce((a, b) => a + b) / 5;
    expect(last).toBeLessThan(0.6 * first);
    expect(history.kl.every((k) => k >= 0)).toBe(true);
    history.loss.forEach((l, i) => expect(l).toBeCloseTo(history.reconstruction[i] + history.kl[i], 2));
    trainer.dispose();
  });

  it("trains a plain autoencoder on reconstruction alone; its reconstructions beat the mean image", async () => {
    const ae = autoencoder({ latentDim: 8, hidden: [64] });
    const trainer = new VaeTrainer({ encoder: ae.encoder, decoder: ae.decoder, batchSize: 32, lr: 5e-3 });
    expect(trainer.config.kind).toBe("autoencoder");
    const history = await trainer.train({ steps: 50, sampleReal: batchSampler(images, undefined, createRng(2)) });
    expect(history.kl).toBeUndefined();
    const x = images.slice([0, 0, 0, 0], [100, -1, -1, -1]);
    const rec = decodeImages(ae.decoder, encodeImages(ae.encoder, x));
    const errRec = tf.mean(tf.square(tf.sub(rec, x))).dataSync()[0];
    const errMean = tf.mean(tf.square(tf.sub(tf.mean(images, 0, true), x))).dataSync()[0];
    expect(errRec).toBeLessThan(0.9 * errMean);
  });

  it("rejects an encoder that does not match the kind", () => {
    const ae = autoencoder({ latentDim: 2, hidden: [8] });
    expect(() => new VaeTrainer({ encoder: ae.encoder, decoder: ae.decoder, kind: "vae" })).toThrow(/mean, logVar/);
  });

  it("stops early when a callback returns stop", async () => {
    const m = vae({ latentDim: 2, hidden: [8] });
    const trainer = new VaeTrainer({ ...m, batchSize: 16 });
    const history = await trainer.train({ steps: 10, sampleReal: batchSampler(images, undefined, createRng(3)), callbacks: [({ step }) => (step === 3 ? "stop" : undefined)] });
    expect(history.step).toEqual([1, 2, 3]);
  });
});
