import { beforeAll, describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { DCGAN_MNIST, dcganMinibatchDiscriminator, dcganMnistTrainer } from "../../lib/experiments/dcgan-mnist";
import { MinibatchDiscrimination } from "../../lib/layers/minibatch-discrimination";
import { dcganGenerator } from "../../lib/models/dcgan";
import { GanTrainer } from "../../lib/train";
import { nonSaturatingLoss } from "../../lib/losses";
import { loadModel, saveModel } from "../../lib/checkpoints/model-files";
import { seedGlobalRandom } from "../../lib/random";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("DCGAN with minibatch discrimination", () => {
  it("puts [f, o(f)] between D's flattened conv features and a new logit", () => {
    seedGlobalRandom(1);
    const D = dcganMinibatchDiscriminator({ baseChannels: 8, numKernels: 5, kernelDim: 3 });
    const mb = D.layers.find((l) => l instanceof MinibatchDiscrimination) as MinibatchDiscrimination;
    expect(mb).toBeDefined();
    expect(mb.getWeights()[0].shape).toEqual([7 * 7 * 16, 5, 3]);
    expect(D.outputs[0].shape).toEqual([null, 1]);
    expect(D.layers.some((l) => l.name === "d_logit")).toBe(false); // the plain DCGAN's logit is not part of the model
    expect((D.predict(tf.zeros([3, 28, 28, 1])) as tf.Tensor).shape).toEqual([3, 1]);
  });

  it("trains with GanTrainer without leaking tensors and saves/loads", async () => {
    seedGlobalRandom(2);
    const trainer = new GanTrainer({
      generator: dcganGenerator({ latentDim: 8, baseChannels: 8 }),
      discriminator: dcganMinibatchDiscriminator({ baseChannels: 8, numKernels: 4, kernelDim: 2 }),
      loss: nonSaturatingLoss,
      latentDim: 8,
      batchSize: 4,
    });
    const sampleReal = (n: number) => ({ x: tf.randomUniform([n, 28, 28, 1], -1, 1) });
    trainer.step(sampleReal);
    const before = tf.memory().numTensors;
    const m = trainer.step(sampleReal);
    expect(tf.memory().numTensors).toBe(before);
    expect(Number.isFinite(m.lossD) && Number.isFinite(m.lossG)).toBe(true);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dcgan-mbd-"));
    await saveModel(trainer.discriminator, dir);
    const loaded = await loadModel(dir);
    const x = tf.randomUniform([3, 28, 28, 1], -1, 1);
    const a = (trainer.discriminator.predict(x) as tf.Tensor).dataSync();
    const b = (loaded.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(b).map((v, i) => Math.abs(v - a[i])).every((d) => d < 1e-5)).toBe(true);
    trainer.dispose();
  });

  it("builds the lessons' trainer with the shared settings", () => {
    const trainer = dcganMnistTrainer();
    expect(trainer.config.latentDim).toBe(DCGAN_MNIST.latentDim);
    expect(trainer.config.batchSize).toBe(DCGAN_MNIST.batchSize);
    expect(trainer.generator.outputs[0].shape).toEqual([null, 28, 28, 1]);
    expect(trainer.discriminator.layers.some((l) => l instanceof MinibatchDiscrimination)).toBe(false);
    const fast = dcganMnistTrainer({ lrD: 1e-3, nCritic: 2 });
    expect([fast.config.lrD, fast.config.lrG, fast.config.nCritic]).toEqual([1e-3, DCGAN_MNIST.lrG, 2]);
    fast.dispose();
    const withMb = dcganMnistTrainer({ minibatch: true });
    expect(withMb.discriminator.layers.some((l) => l instanceof MinibatchDiscrimination)).toBe(true);
    trainer.dispose();
    withMb.dispose();
  });
});
