import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import {
  infoganDiscriminator, infoganGenerator, infoganInferCodes, infoganInformationLoss, infoganLatent, infoganLatentSampler, infoganRegularizer, resolveCodes, splitInfoganLatent,
} from "../../lib/models/infogan";
import { GanTrainer, StepContext } from "../../lib/train";
import { nonSaturatingLoss } from "../../lib/losses";
import { createRng, seedGlobalRandom } from "../../lib/random";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const codes = { noiseDim: 3, nCategories: 4, nContinuous: 2 };
const small = { ...codes, imageShape: [8, 8, 1] as [number, number, number], baseChannels: 4, qHidden: 8 };

describe("InfoGAN latent codes", () => {
  it("z = [noise | one-hot category | continuous in [−1, 1]] and splits back", () => {
    expect(resolveCodes().latentDim).toBe(62 + 10 + 2);
    expect(() => resolveCodes({ nCategories: 1 })).toThrow(/nCategories/);
    const z = infoganLatentSampler(codes, createRng(1))(500);
    expect(z.shape).toEqual([500, 9]);
    const { noise, categorical, continuous } = splitInfoganLatent(z, codes);
    expect(noise.shape).toEqual([500, 3]);
    const cat = categorical.arraySync() as number[][];
    expect(cat.every((row) => row.filter((v) => v === 1).length === 1 && row.filter((v) => v === 0).length === 3)).toBe(true);
    const counts = [0, 1, 2, 3].map((k) => cat.filter((row) => row[k] === 1).length / 500);
    counts.forEach((c) => expect(Math.abs(c - 0.25)).toBeLessThan(0.07));
    const cont = Array.from(continuous.dataSync());
    expect(Math.min(...cont)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...cont)).toBeLessThanOrEqual(1);
    expect(Math.abs(cont.reduce((s, v) => s + v, 0) / cont.length)).toBeLessThan(0.1);
    expect(() => splitInfoganLatent(tf.zeros([2, 8]), codes)).toThrow(/9/);
  });

  it("builds z from chosen codes", () => {
    const z = infoganLatent(codes, { categories: [3, 0], continuous: [[0.5, -1], [0, 1]], noise: tf.zeros([2, 3]) as tf.Tensor2D });
    expect(z.arraySync()).toEqual([[0, 0, 0, 0, 0, 0, 1, 0.5, -1], [0, 0, 0, 1, 0, 0, 0, 0, 1]]);
  });
});

describe("the mutual-information term", () => {
  it("is the cross-entropy of the code plus ½(c − μ)², and vanishes for a perfect Q", () => {
    const onehot = tf.tensor2d([[1, 0, 0, 0], [0, 0, 1, 0]]);
    expect(infoganInformationLoss(tf.zeros([2, 4]), onehot).dataSync()[0]).toBeCloseTo(Math.log(4), 5);
    expect(infoganInformationLoss(tf.mul(onehot, 50), onehot).dataSync()[0]).toBeCloseTo(0, 5);
    const c = tf.tensor2d([[0.5, -0.5], [1, 0]]);
    const mu = tf.tensor2d([[0, 0], [0, 0]]);
    const gauss = 0.5 * (0.25 + 0.25 + 1 + 0) / 4;
    expect(infoganInformationLoss(tf.zeros([2, 4]), onehot, mu, c, 2).dataSync()[0]).toBeCloseTo(Math.log(4) + 2 * gauss, 5);
  });

  it("the regularizer reads the codes from z and Q's heads from D's outputs, for D and G alike", () => {
    const z = infoganLatent(codes, { categories: [1, 2], continuous: [[0.2, 0.4], [-0.6, 0]], noise: tf.zeros([2, 3]) as tf.Tensor2D });
    const ctx = { z, dFakeOutputs: [tf.zeros([2, 1]), tf.tensor2d([[0, 3, 0, 0], [1, 0, 0, 0]]), tf.zeros([2, 2])] } as unknown as StepContext;
    const reg = infoganRegularizer({ ...codes, weight: 2, continuousWeight: 1 });
    const { categorical, continuous } = splitInfoganLatent(z, codes);
    const expected = 2 * infoganInformationLoss(ctx.dFakeOutputs[1], categorical, ctx.dFakeOutputs[2], continuous, 1).dataSync()[0];
    expect(reg.discriminator!(ctx).dataSync()[0]).toBeCloseTo(expected, 5);
    expect(reg.generator!(ctx).dataSync()[0]).toBeCloseTo(expected, 5);
    expect(() => reg.generator!({ ...ctx, dFakeOutputs: [tf.zeros([2, 1])] } as StepContext)).toThrow(/Q heads/);
  });
});

describe("InfoGAN with the one trainer", () => {
  it("D has source and Q heads; a step leaks nothing; Q learns to read the code of G's samples", async () => {
    seedGlobalRandom(5);
    const mlp = { ...small, arch: "mlp" as const, mlpHidden: [32, 32] };
    const G = infoganGenerator(mlp);
    const D = infoganDiscriminator(mlp);
    expect((D.predict(tf.zeros([2, 8, 8, 1])) as tf.Tensor[]).map((t) => t.shape)).toEqual([[2, 1], [2, 4], [2, 2]]);
    const trainer = new GanTrainer({
      generator: G, discriminator: D, loss: nonSaturatingLoss, latentDim: 9, batchSize: 32, lrG: 5e-3, lrD: 5e-3,
      sampleLatent: infoganLatentSampler(codes, createRng(6)),
      regularizers: [infoganRegularizer(codes)],
    });
    const sample = (n: number) => ({ x: tf.tidy(() => tf.sign(tf.randomNormal([n, 8, 8, 1]))) });
    trainer.step(sample);
    const before = tf.memory().numTensors;
    const first = trainer.step(sample);
    expect(tf.memory().numTensors).toBe(before);
    expect(first.infoD).toBeGreaterThan(1); // ≈ log 4 at the start
    await trainer.train({ steps: 100, sampleReal: sample });
    const last = trainer.history.infoG.slice(-10).reduce((s, v) => s + v, 0) / 10;
    expect(last).toBeLessThan(0.5 * first.infoG);
    // Q's reading of G's samples recovers the categorical code.
    const categories = Array.from({ length: 40 }, (_, i) => i % 4);
    const z = infoganLatent(codes, { categories });
    const x = trainer.generate(40, { z });
    const read = infoganInferCodes(trainer.discriminator, x, 16);
    expect(read.categories.length).toBe(40);
    expect(read.continuous[0].length).toBe(2);
    expect(Array.from(read.categories).filter((c, i) => c === categories[i]).length / 40).toBeGreaterThan(0.9);
    trainer.dispose();
  });
});
