import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { GanTrainer, gradientPenaltyRegularizer, logEvery, stopOnNonFinite } from "../../lib/train";
import { nonSaturatingLoss, wassersteinLoss } from "../../lib/losses";
import { mlp, mlpDiscriminator, mlpGenerator } from "../../lib/models/mlp";
import { sampleMixture } from "../../lib/data/mixture1d";
import { gaussian1d } from "../../lib/data/mixture1d";
import { createRng } from "../../lib/random";
import { seedGlobalRandom } from "../../lib/random";
import { registerComparisonGradients } from "../../lib/backend/gradients";

beforeAll(async () => {
  await tf.setBackend("cpu");
  registerComparisonGradients(); // what setupLesson does; WGAN-GP double-backprops through LeakyReLU
});

function toyTrainer(extra: Partial<ConstructorParameters<typeof GanTrainer>[0]> = {}) {
  return new GanTrainer({
    generator: mlpGenerator({ latentDim: 2, dataDim: 1, hidden: [16] }),
    discriminator: mlpDiscriminator({ dataDim: 1, hidden: [16] }),
    loss: nonSaturatingLoss,
    latentDim: 2,
    batchSize: 32,
    lrG: 1e-3,
    lrD: 1e-3,
    ...extra,
  });
}

describe("GanTrainer", () => {
  it("moves a 1-D generator onto the data mean and records history", async () => {
    seedGlobalRandom(1);
    const target = gaussian1d(3, 0.5);
    const rng = createRng(1);
    const trainer = toyTrainer({ lrG: 5e-3, lrD: 5e-3 });
    const before = tf.mean(trainer.generate(512)).dataSync()[0];
    const history = await trainer.train({ steps: 300, sampleReal: (n) => ({ x: sampleMixture(target, n, rng) }) });
    const after = tf.mean(trainer.generate(512)).dataSync()[0];
    expect(Math.abs(after - 3)).toBeLessThan(Math.abs(before - 3) / 3);
    expect(history.step).toHaveLength(300);
    expect(history.lossD.every(Number.isFinite)).toBe(true);
    expect(history.lossG).toHaveLength(300);
  });

  it("leaks no tensors per training step (after the optimizers' first step)", async () => {
    const trainer = toyTrainer({ nCritic: 2, trackGradNorms: true, regularizers: [gradientPenaltyRegularizer(1)], loss: wassersteinLoss });
    const sampleReal = (n: number) => ({ x: tf.randomNormal([n, 1]) });
    trainer.step(sampleReal); // creates Adam's slots
    const before = tf.memory().numTensors;
    const m = trainer.step(sampleReal);
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(m).sort()).toEqual(["gpD", "gradNormD", "gradNormG", "lossD", "lossG"].sort());
    expect(m.gpD).toBeGreaterThanOrEqual(0);
  });

  it("takes nCritic discriminator steps per generator step", async () => {
    let realBatches = 0;
    const trainer = toyTrainer({ nCritic: 3 });
    await trainer.train({ steps: 2, sampleReal: (n) => (realBatches++, { x: tf.randomNormal([n, 1]) }) });
    expect(realBatches).toBe(2 * (3 + 1));
    expect(trainer.stepCount).toBe(2);
  });

  it("feeds a condition to G and D when conditioning is given", async () => {
    const g = mlpCond(2 + 3, 1);
    const d = mlpCond(1 + 3, 1);
    const trainer = new GanTrainer({
      generator: g.model,
      discriminator: d.model,
      loss: nonSaturatingLoss,
      latentDim: 2,
      batchSize: 8,
      conditioning: { encode: (y) => tf.oneHot(y, 3).toFloat(), sampleLabels: (n) => tf.randomUniform([n], 0, 3, "int32") as tf.Tensor1D },
    });
    const m = trainer.step((n) => ({ x: tf.randomNormal([n, 1]), labels: tf.zeros([n], "int32") as tf.Tensor1D }));
    expect(Number.isFinite(m.lossD)).toBe(true);
    expect(trainer.generate(4, { labels: tf.tensor1d([0, 1, 2, 0], "int32") }).shape).toEqual([4, 1]);
  });

  it("stops on a non-finite loss and validates nCritic", async () => {
    const trainer = toyTrainer();
    const history = await trainer.train({ steps: 5, sampleReal: (n) => ({ x: tf.fill([n, 1], NaN) }), callbacks: [stopOnNonFinite()] });
    expect(history.step).toHaveLength(1);
    expect(() => toyTrainer({ nCritic: 0 })).toThrow(/nCritic must be a positive integer/);
    const lines: string[] = [];
    await toyTrainer().train({ steps: 2, sampleReal: (n) => ({ x: tf.randomNormal([n, 1]) }), callbacks: [logEvery(2, (l) => lines.push(l))] });
    expect(lines[0]).toMatch(/^step 2 {2}lossD=.* lossG=.*img\/s\)$/);
  });
});

/** A 2-input model [a, b] → concat → mlp. */
function mlpCond(inputDim: number, outputDim: number) {
  const a = tf.input({ shape: [inputDim - 3] });
  const b = tf.input({ shape: [3] });
  const body = mlp({ inputDim, outputDim, hidden: [8] });
  const out = body.apply(tf.layers.concatenate().apply([a, b])) as tf.SymbolicTensor;
  return { model: tf.model({ inputs: [a, b], outputs: out }) };
}
