import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import {
  cycleConsistencyLoss, cycleConsistencyRegularizer, cycleGanBatches, cycleGanGenerator, cycleGanGeneratorLoss, cycleGanModels, cycleGanTrainerParts,
  discriminatorPair, identityRegularizer, translatorPair, unpack,
} from "../../lib/models/cyclegan";
import { patchGan } from "../../lib/models/patchgan";
import { unpairedSampler } from "../../lib/data/domains";
import { GanTrainer, StepContext } from "../../lib/train";
import { nonSaturatingLoss } from "../../lib/losses";
import { createRng, seedGlobalRandom } from "../../lib/random";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const shape: [number, number, number] = [8, 8, 1];
function models() {
  return cycleGanModels({
    generatorAB: cycleGanGenerator({ imageShape: shape, baseChannels: 2, nResBlocks: 1, name: "g_ab" }),
    generatorBA: cycleGanGenerator({ imageShape: shape, baseChannels: 2, nResBlocks: 1, name: "g_ba" }),
    discriminatorA: patchGan({ imageShape: shape, baseChannels: 2, nDown: 1, name: "d_a" }),
    discriminatorB: patchGan({ imageShape: shape, baseChannels: 2, nDown: 1, name: "d_b" }),
  });
}

describe("CycleGAN pieces", () => {
  it("a translator maps images to images; the pairs run two networks side by side", () => {
    seedGlobalRandom(1);
    const m = models();
    const a = tf.randomUniform([3, 8, 8, 1], -1, 1);
    const b = tf.randomUniform([3, 8, 8, 1], -1, 1);
    const packed = m.generator.predict([a, b]) as tf.Tensor;
    expect(packed.shape).toEqual([3, 8, 8, 2]);
    const [fakeB, fakeA] = unpack(packed);
    expect(tf.max(tf.abs(tf.sub(fakeB, m.generatorAB.predict(a) as tf.Tensor))).dataSync()[0]).toBeLessThan(1e-6);
    expect(tf.max(tf.abs(tf.sub(fakeA, m.generatorBA.predict(b) as tf.Tensor))).dataSync()[0]).toBeLessThan(1e-6);
    const verdicts = m.discriminator.predict([fakeB, fakeA]) as tf.Tensor;
    expect(verdicts.shape).toEqual([3, 4, 4, 2]);
    const [vB, vA] = unpack(verdicts);
    expect(tf.max(tf.abs(tf.sub(vB, m.discriminatorB.predict(fakeB) as tf.Tensor))).dataSync()[0]).toBeLessThan(1e-6);
    expect(tf.max(tf.abs(tf.sub(vA, m.discriminatorA.predict(fakeA) as tf.Tensor))).dataSync()[0]).toBeLessThan(1e-6);
    // The pair shares the four networks' weights (nothing new to train).
    expect(m.generator.trainableWeights.length).toBe(m.generatorAB.trainableWeights.length + m.generatorBA.trainableWeights.length);
    expect(() => translatorPair(m.generatorAB, m.generatorAB)).toThrow(/different names/);
    expect(() => discriminatorPair(m.discriminatorA, m.discriminatorA)).toThrow(/different names/);
  });

  it("the cycle loss is the sum of the two mean absolute reconstruction errors", () => {
    const a = tf.fill([1, 2, 2, 1], 1);
    const b = tf.fill([1, 2, 2, 1], -1);
    expect(cycleConsistencyLoss(a, a, b, b).dataSync()[0]).toBe(0);
    expect(cycleConsistencyLoss(a, tf.fill([1, 2, 2, 1], 0.5), b, tf.fill([1, 2, 2, 1], 0)).dataSync()[0]).toBeCloseTo(0.5 + 1, 6);
    const total = cycleGanGeneratorLoss(nonSaturatingLoss, tf.zeros([1, 2, 2, 1]), tf.zeros([1, 2, 2, 1]), a, a, b, tf.fill([1, 2, 2, 1], 0), 10);
    expect(total.dataSync()[0]).toBeCloseTo(2 * Math.log(2) + 10 * 1, 5);
  });
});

describe("CycleGAN on the one trainer", () => {
  it("the packed generator loss is exactly half of L_GAN(G) + L_GAN(F) + λ·L_cyc", () => {
    seedGlobalRandom(2);
    const m = models();
    const a = tf.randomUniform([4, 8, 8, 1], -1, 1);
    const b = tf.randomUniform([4, 8, 8, 1], -1, 1);
    const real = { x: tf.concat([b, a], 3), a, b };
    const xFake = m.generator.apply([a, b], { training: true }) as tf.Tensor;
    const verdicts = m.discriminator.apply(unpack(xFake), { training: true }) as tf.Tensor;
    const ctx = { real, xFake, generator: m.generator } as unknown as StepContext;
    const packed = tf.add(nonSaturatingLoss.generator(verdicts), cycleConsistencyRegularizer(10).generator!(ctx)).dataSync()[0];

    const G = (x: tf.Tensor) => m.generatorAB.apply(x, { training: true }) as tf.Tensor;
    const F = (x: tf.Tensor) => m.generatorBA.apply(x, { training: true }) as tf.Tensor;
    const fakeB = G(a);
    const fakeA = F(b);
    const direct = cycleGanGeneratorLoss(
      nonSaturatingLoss,
      m.discriminatorB.apply(fakeB, { training: true }) as tf.Tensor, m.discriminatorA.apply(fakeA, { training: true }) as tf.Tensor,
      a, F(fakeB), b, G(fakeA), 10,
    ).dataSync()[0];
    expect(packed).toBeCloseTo(direct / 2, 5);
    // Identity: ½ λ_id (|G(b) − b| + |F(a) − a|).
    const id = identityRegularizer(4).generator!(ctx).dataSync()[0];
    const idDirect = 0.5 * 4 * (tf.mean(tf.abs(tf.sub(G(b), b))).dataSync()[0] + tf.mean(tf.abs(tf.sub(F(a), a))).dataSync()[0]);
    expect(id).toBeCloseTo(idDirect, 5);
  });

  it("a step trains all four networks, logs the cycle term and leaks nothing; λ = 0 drops it", () => {
    seedGlobalRandom(3);
    const m = models();
    const trainer = new GanTrainer({ generator: m.generator, discriminator: m.discriminator, loss: nonSaturatingLoss, batchSize: 4, ...cycleGanTrainerParts({ lambdaCycle: 10 }) });
    const domainA = tf.sign(tf.randomNormal([20, 8, 8, 1])) as tf.Tensor4D;
    const domainB = tf.neg(domainA) as tf.Tensor4D;
    const sample = cycleGanBatches(unpairedSampler(domainA, domainB, createRng(1)));
    const snapshot = (x: tf.LayersModel) => x.trainableWeights.map((w) => Array.from(w.read().dataSync()));
    const w0 = [m.generatorAB, m.generatorBA, m.discriminatorA, m.discriminatorB].map(snapshot);
    trainer.step(sample);
    const before = tf.memory().numTensors;
    const metrics = trainer.step(sample);
    expect(tf.memory().numTensors).toBe(before);
    expect(metrics.cycleG).toBeGreaterThan(0);
    const w1 = [m.generatorAB, m.generatorBA, m.discriminatorA, m.discriminatorB].map(snapshot);
    w0.forEach((net, k) => expect(net[0].some((v, i) => v !== w1[k][0][i])).toBe(true));
    expect(cycleGanTrainerParts({ lambdaCycle: 0 }).regularizers).toEqual([]);
    expect(cycleGanTrainerParts({ lambdaIdentity: 2 }).regularizers!.map((r) => r.name)).toEqual(["cycle", "identity"]);
    expect(() => trainer.step((n) => ({ x: tf.zeros([n, 8, 8, 2]) }))).toThrow(/`a` and `b`/);
    trainer.dispose();
  });
});
