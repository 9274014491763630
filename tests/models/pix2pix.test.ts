import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { createL1Step, l1Regularizer, meanAbsoluteError, pix2pixTrainerParts } from "../../lib/models/pix2pix";
import { patchGan } from "../../lib/models/patchgan";
import { unet } from "../../lib/models/unet";
import { GanTrainer, StepContext } from "../../lib/train";
import { nonSaturatingLoss } from "../../lib/losses";
import { seedGlobalRandom } from "../../lib/random";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("the L1 term", () => {
  it("is λ · mean |target − G(s)|", () => {
    const t = tf.tensor4d([1, -1, 1, -1], [1, 2, 2, 1]);
    const g = tf.tensor4d([0.5, -1, -1, 0], [1, 2, 2, 1]);
    expect(meanAbsoluteError(t, g).dataSync()[0]).toBeCloseTo((0.5 + 0 + 2 + 1) / 4, 6);
    const ctx = { real: { x: t }, xFake: g } as unknown as StepContext;
    expect(l1Regularizer(100).generator!(ctx).dataSync()[0]).toBeCloseTo(100 * 0.875, 4);
    expect(l1Regularizer().discriminator).toBeUndefined();
  });
});

describe("pix2pix with the one trainer", () => {
  it("G reads the source, D judges [source, x] patch by patch, L1 is logged; no leaks", () => {
    seedGlobalRandom(1);
    const trainer = new GanTrainer({
      generator: unet({ imageShape: [8, 8, 1], baseChannels: 2, depth: 2 }),
      discriminator: patchGan({ imageShape: [8, 8, 1], conditionChannels: 1, baseChannels: 2, nDown: 1 }),
      loss: nonSaturatingLoss,
      batchSize: 4,
      ...pix2pixTrainerParts({ lambda: 10 }),
    });
    const sample = (n: number) => tf.tidy(() => {
      const source = tf.sign(tf.randomNormal([n, 8, 8, 1]));
      return { source, x: tf.neg(source) };
    });
    const real = sample(4);
    expect(trainer.discriminate(real.x, real)[0].shape).toEqual([4, 4, 4, 1]);
    const fromSource = trainer.generate(4, { real });
    expect(fromSource.shape).toEqual([4, 8, 8, 1]);
    trainer.step(sample);
    const before = tf.memory().numTensors;
    const m = trainer.step(sample);
    expect(tf.memory().numTensors).toBe(before);
    expect(m.l1G).toBeGreaterThan(0);
    expect(() => trainer.step((n) => ({ x: tf.zeros([n, 8, 8, 1]) }))).toThrow(/source/);
    expect(pix2pixTrainerParts({ lambda: 0 }).regularizers).toEqual([]);
    trainer.dispose();
  });

  it("the L1-only baseline learns a deterministic translation (here: negation)", () => {
    seedGlobalRandom(2);
    const g = unet({ imageShape: [8, 8, 1], baseChannels: 4, depth: 1 });
    const l1 = createL1Step(g, { lr: 1e-2 });
    const sample = () => tf.tidy(() => {
      const source = tf.sign(tf.randomNormal([16, 8, 8, 1]));
      return { source, x: tf.neg(source) };
    });
    const losses: number[] = [];
    for (let i = 0; i < 150; i++) {
      const b = sample();
      losses.push(l1.step(b).l1);
      tf.dispose([b.source, b.x]);
    }
    expect(losses[0]).toBeGreaterThan(0.5);
    expect(losses.slice(-10).reduce((s, v) => s + v, 0) / 10).toBeLessThan(0.2);
    l1.dispose();
  });
});
