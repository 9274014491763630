import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { pack, packedInputs, pacganMlpDiscriminator } from "../../lib/models/pacgan";
import { mlpGenerator } from "../../lib/models/mlp";
import { GanTrainer } from "../../lib/train";
import { nonSaturatingLoss } from "../../lib/losses";
import { seedGlobalRandom } from "../../lib/random";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("pack", () => {
  it("concatenates consecutive vectors", () => {
    const x = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
    expect(pack(x, 2).arraySync()).toEqual([[1, 2, 3, 4], [5, 6, 7, 8]]);
    expect(pack(x, 1).arraySync()).toEqual(x.arraySync());
  });

  it("concatenates images along the channels", () => {
    const x = tf.stack([tf.fill([2, 2, 1], 1), tf.fill([2, 2, 1], 2), tf.fill([2, 2, 1], 3), tf.fill([2, 2, 1], 4)]); // [4, 2, 2, 1]
    const p = pack(x, 2);
    expect(p.shape).toEqual([2, 2, 2, 2]);
    const v = p.arraySync() as number[][][][];
    expect(v[0][1][0]).toEqual([1, 2]);
    expect(v[1][0][1]).toEqual([3, 4]);
  });

  it("rejects a batch that is not a multiple of m", () => {
    expect(() => pack(tf.zeros([5, 2]), 2)).toThrow(/not a multiple/);
    expect(() => pack(tf.zeros([4, 2]), 0)).toThrow(/positive integer/);
  });
});

describe("PacGAN with the trainer", () => {
  it("scores packs of m samples and leaks no tensors per step", () => {
    seedGlobalRandom(1);
    const D = pacganMlpDiscriminator({ dataDim: 2, packing: 4, hidden: [8] });
    expect(D.inputs[0].shape).toEqual([null, 8]);
    const trainer = new GanTrainer({
      generator: mlpGenerator({ latentDim: 2, dataDim: 2, hidden: [8] }),
      discriminator: D,
      discriminatorInputs: packedInputs(4),
      loss: nonSaturatingLoss,
      latentDim: 2,
      batchSize: 16,
    });
    const real = { x: tf.randomNormal([16, 2]) };
    expect(trainer.discriminate(real.x, real)[0].shape).toEqual([4, 1]);
    const sampleReal = (n: number) => ({ x: tf.randomNormal([n, 2]) });
    trainer.step(sampleReal);
    const before = tf.memory().numTensors;
    const m = trainer.step(sampleReal);
    expect(tf.memory().numTensors).toBe(before);
    expect(Number.isFinite(m.lossD) && Number.isFinite(m.lossG)).toBe(true);
  });
});
