import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { acganClassRegularizer, acganConditioning, acganDiscriminator, acganDiscriminatorLoss, classCrossEntropy } from "../../lib/models/acgan";
import { conditionalGenerator } from "../../lib/models/conditional";
import { GanTrainer, StepContext } from "../../lib/train";
import { nonSaturatingLoss } from "../../lib/losses";
import { createRng, seedGlobalRandom } from "../../lib/random";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const small = { imageShape: [8, 8, 1] as [number, number, number], baseChannels: 4, nClasses: 3 };

describe("class cross-entropy", () => {
  it("is −mean log softmax at the label", () => {
    const logits = tf.tensor2d([[2, 0, 0], [0, 0, 5]]);
    const labels = tf.tensor1d([0, 1], "int32");
    const p = (row: number[], k: number) => Math.exp(row[k]) / row.reduce((s, v) => s + Math.exp(v), 0);
    const expected = -(Math.log(p([2, 0, 0], 0)) + Math.log(p([0, 0, 5], 1))) / 2;
    expect(classCrossEntropy(logits, labels).dataSync()[0]).toBeCloseTo(expected, 5);
    expect(classCrossEntropy(tf.zeros([4, 10]), tf.tensor1d([0, 1, 2, 3], "int32")).dataSync()[0]).toBeCloseTo(Math.log(10), 5);
  });
});

describe("ACGAN discriminator and class loss", () => {
  it("has a source head and a class head, and the conditioning hides the label from D", () => {
    const D = acganDiscriminator(small);
    const out = D.predict(tf.zeros([2, 8, 8, 1])) as tf.Tensor[];
    expect(out.map((t) => t.shape)).toEqual([[2, 1], [2, 3]]);
    const mlp = acganDiscriminator({ ...small, arch: "mlp", mlpHidden: [8, 8] });
    expect((mlp.predict(tf.zeros([2, 8, 8, 1])) as tf.Tensor[])[1].shape).toEqual([2, 3]);
    const cond = acganConditioning({ nClasses: 3 });
    expect(cond.discriminator).toBe(false);
    expect(cond.encode(tf.tensor1d([2], "int32")).arraySync()).toEqual([[0, 0, 1]]);
  });

  it("the regularizer adds the real and fake class terms to D and the fake term to G; the written-out D loss matches", () => {
    const real = { source: tf.tensor2d([[1.5], [-0.5]]), classLogits: tf.tensor2d([[3, 0, 0], [0, 1, 0]]), labels: tf.tensor1d([0, 2], "int32") };
    const fake = { source: tf.tensor2d([[-1], [0.2]]), classLogits: tf.tensor2d([[0, 0, 2], [1, 1, 1]]), labels: tf.tensor1d([2, 1], "int32") };
    const ctx = {
      real: { x: tf.zeros([2, 8, 8, 1]), labels: real.labels },
      labelsFake: fake.labels,
      dRealOutputs: [real.source, real.classLogits],
      dFakeOutputs: [fake.source, fake.classLogits],
    } as unknown as StepContext;
    const reg = acganClassRegularizer({ weight: 0.5 });
    const ceReal = classCrossEntropy(real.classLogits, real.labels).dataSync()[0];
    const ceFake = classCrossEntropy(fake.classLogits, fake.labels).dataSync()[0];
    expect(reg.discriminator!(ctx).dataSync()[0]).toBeCloseTo(0.5 * (ceReal + ceFake), 5);
    expect(reg.generator!(ctx).dataSync()[0]).toBeCloseTo(0.5 * ceFake, 5);
    expect(acganClassRegularizer({ fakesInDiscriminator: false }).discriminator!(ctx).dataSync()[0]).toBeCloseTo(ceReal, 5);
    const total = acganDiscriminatorLoss(nonSaturatingLoss, real, fake, 0.5).dataSync()[0];
    const adversarial = nonSaturatingLoss.discriminator(real.source, fake.source).dataSync()[0];
    expect(total).toBeCloseTo(adversarial + 0.5 * (ceReal + ceFake), 5);
    expect(() => reg.discriminator!({ ...ctx, real: { x: ctx.real.x } } as StepContext)).toThrow(/real labels/);
    expect(() => reg.generator!({ ...ctx, dFakeOutputs: [fake.source] } as StepContext)).toThrow(/class head/);
  });

  it("trains with the one trainer (logs classD/classG), leaks nothing, and D's class head learns the real labels", async () => {
    seedGlobalRandom(4);
    const trainer = new GanTrainer({
      generator: conditionalGenerator({ ...small, latentDim: 4 }),
      discriminator: acganDiscriminator(small),
      loss: nonSaturatingLoss,
      latentDim: 4,
      batchSize: 12,
      lrD: 5e-3,
      conditioning: acganConditioning({ nClasses: 3, rng: createRng(2) }),
      regularizers: [acganClassRegularizer()],
    });
    // Real "digits": class k has ink in column block k (8x8 images).
    const rng = createRng(3);
    const sample = (n: number) => {
      const labels = Array.from({ length: n }, () => rng.int(3));
      const x = tf.tidy(() => tf.stack(labels.map((k) => {
        const v = new Float32Array(64).fill(-1);
        for (let r = 0; r < 8; r++) for (let c = 2 * k; c < 2 * k + 3; c++) v[r * 8 + c] = 1;
        return tf.tensor3d(v, [8, 8, 1]);
      })));
      return { x, labels: tf.tensor1d(labels, "int32") };
    };
    trainer.step(sample);
    const before = tf.memory().numTensors;
    const m = trainer.step(sample);
    expect(tf.memory().numTensors).toBe(before);
    expect(m.classD).toBeGreaterThan(0);
    expect(m.classG).toBeGreaterThan(0);
    await trainer.train({ steps: 40, sampleReal: sample });
    const probe = sample(30);
    const out = trainer.discriminator.predict(probe.x) as tf.Tensor[];
    const predicted = Array.from(tf.argMax(out[1], 1).dataSync());
    const truth = Array.from(probe.labels.dataSync());
    expect(predicted.filter((p, i) => p === truth[i]).length / 30).toBeGreaterThan(0.9);
    trainer.dispose();
  });
});
