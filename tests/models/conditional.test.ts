import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { classGridLabels, conditionalDiscriminator, conditionalGenerator, labelConditioning, oneHotLabels, uniformLabels } from "../../lib/models/conditional";
import { GanTrainer } from "../../lib/train";
import { nonSaturatingLoss } from "../../lib/losses";
import { createRng, seedGlobalRandom } from "../../lib/random";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const small = { imageShape: [8, 8, 1] as [number, number, number], latentDim: 4, baseChannels: 4, nClasses: 3, mlpHidden: [16, 16] };

describe("label encodings", () => {
  it("one-hot labels, uniform labels, row-per-class grids", () => {
    expect(oneHotLabels(tf.tensor1d([2, 0], "int32"), 3).arraySync()).toEqual([[0, 0, 1], [1, 0, 0]]);
    const u = Array.from(uniformLabels(3000, 3, createRng(1)).dataSync());
    for (let k = 0; k < 3; k++) expect(Math.abs(u.filter((v) => v === k).length / 3000 - 1 / 3)).toBeLessThan(0.03);
    expect(Array.from(classGridLabels(3, 2).dataSync())).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it("the conditioning encodes one-hot or [batch, 1] ids and passes its flags", () => {
    const labels = tf.tensor1d([1, 2], "int32");
    expect(labelConditioning({ nClasses: 3 }).encode(labels).shape).toEqual([2, 3]);
    const emb = labelConditioning({ nClasses: 3, labelInput: "embedding", discriminator: false });
    expect(emb.encode(labels).arraySync()).toEqual([[1], [2]]);
    expect(emb.discriminator).toBe(false);
    const s = emb.sampleLabels(5);
    expect(s.shape).toEqual([5]);
    expect(s.dtype).toBe("int32");
  });
});

describe("conditional generator and discriminator", () => {
  const variants = [
    { arch: "conv", labelInput: "onehot", combine: "concat" },
    { arch: "conv", labelInput: "embedding", combine: "projection" },
    { arch: "conv", labelInput: "onehot", combine: "projection", denseUnits: 8 },
    { arch: "mlp", labelInput: "onehot", combine: "projection" },
    { arch: "mlp", labelInput: "embedding", combine: "concat" },
  ] as const;
  for (const v of variants) {
    it(`${v.arch}, ${v.labelInput}, ${v.combine}: shapes, and both players depend on the label`, () => {
      seedGlobalRandom(1);
      const G = conditionalGenerator({ ...small, ...v });
      const D = conditionalDiscriminator({ ...small, ...v });
      const cond = labelConditioning({ nClasses: 3, labelInput: v.labelInput });
      const z = tf.randomNormal([2, 4]);
      const y0 = cond.encode(tf.tensor1d([0, 0], "int32"));
      const y1 = cond.encode(tf.tensor1d([1, 2], "int32"));
      const x0 = G.predict([z, y0]) as tf.Tensor;
      const x1 = G.predict([z, y1]) as tf.Tensor;
      expect(x0.shape).toEqual([2, 8, 8, 1]);
      expect(tf.max(tf.abs(x0)).dataSync()[0]).toBeLessThanOrEqual(1);
      expect(tf.max(tf.abs(tf.sub(x0, x1))).dataSync()[0]).toBeGreaterThan(0);
      const d0 = D.predict([x0, y0]) as tf.Tensor;
      const d1 = D.predict([x0, y1]) as tf.Tensor;
      expect(d0.shape).toEqual([2, 1]);
      expect(tf.max(tf.abs(tf.sub(d0, d1))).dataSync()[0]).toBeGreaterThan(0);
    });
  }

  it("the optional dense layers sit between z and the 7×7 projection in G, and after the conv features in D", () => {
    const G = conditionalGenerator({ ...small, denseUnits: 8 });
    const D = conditionalDiscriminator({ ...small, denseUnits: 8, combine: "projection" });
    expect(G.getLayer("g_hidden").outputShape).toEqual([null, 8]);
    expect(D.getLayer("d_hidden").outputShape).toEqual([null, 8]);
    expect(D.getLayer("d_label_projection").outputShape).toEqual([null, 8]); // one vector per class in the 8-d feature space
    expect(() => conditionalGenerator(small).getLayer("g_hidden")).toThrow();
  });

  it("rejects bad configurations", () => {
    expect(() => conditionalGenerator({ imageShape: [10, 10, 1] })).toThrow(/divisible by 4/);
    expect(() => conditionalDiscriminator({ ...small, combine: "sum" as never })).toThrow(/combine/);
    expect(() => conditionalGenerator({ ...small, labelInput: "text" as never })).toThrow(/labelInput/);
  });
});

describe("training a cGAN with the one trainer", () => {
  it("updates the label embedding tables (their gradient is a scatter-add) and leaks no tensors", () => {
    seedGlobalRandom(2);
    const cfg = { ...small, labelInput: "embedding" as const, combine: "projection" as const };
    const trainer = new GanTrainer({
      generator: conditionalGenerator(cfg),
      discriminator: conditionalDiscriminator(cfg),
      loss: nonSaturatingLoss,
      latentDim: 4,
      batchSize: 6,
      lrG: 1e-2,
      lrD: 1e-2,
      conditioning: labelConditioning({ nClasses: 3, labelInput: "embedding", rng: createRng(1) }),
    });
    const gTable = trainer.generator.getLayer("g_label_embedding").getWeights()[0];
    const dTable = trainer.discriminator.getLayer("d_label_projection").getWeights()[0];
    const g0 = gTable.arraySync() as number[][];
    const d0 = dTable.arraySync() as number[][];
    const sample = (n: number) => ({ x: tf.randomUniform([n, 8, 8, 1], -1, 1), labels: tf.tensor1d([0, 1, 0, 1, 0, 1].slice(0, n), "int32") });
    trainer.step(sample);
    const before = tf.memory().numTensors;
    const m = trainer.step(sample);
    expect(tf.memory().numTensors).toBe(before);
    expect(Number.isFinite(m.lossD) && Number.isFinite(m.lossG)).toBe(true);
    const g1 = trainer.generator.getLayer("g_label_embedding").getWeights()[0].arraySync() as number[][];
    const d1 = trainer.discriminator.getLayer("d_label_projection").getWeights()[0].arraySync() as number[][];
    // D saw real labels 0 and 1 only, and fakes of every class: rows 0 and 1 move.
    expect(d1[0].some((v, j) => v !== d0[0][j])).toBe(true);
    expect(d1[1].some((v, j) => v !== d0[1][j])).toBe(true);
    expect(g1.some((row, k) => row.some((v, j) => v !== g0[k][j]))).toBe(true);
    trainer.dispose();
  });

  it("learns to draw the requested class on a toy two-class problem", async () => {
    seedGlobalRandom(3);
    // Class 0: ink in the top half; class 1: ink in the bottom half (4x4 images, MLP networks).
    const shape: [number, number, number] = [4, 4, 1];
    const top = tf.concat([tf.ones([2, 4, 1]), tf.fill([2, 4, 1], -1)]);
    const bottom = tf.neg(top);
    const cfg = { imageShape: shape, latentDim: 2, nClasses: 2, arch: "mlp" as const, mlpHidden: [16, 16] };
    const trainer = new GanTrainer({
      generator: conditionalGenerator(cfg),
      discriminator: conditionalDiscriminator(cfg),
      loss: nonSaturatingLoss,
      latentDim: 2,
      batchSize: 32,
      lrG: 2e-3,
      lrD: 2e-3,
      conditioning: labelConditioning({ nClasses: 2, rng: createRng(4) }),
    });
    const rng = createRng(5);
    const sample = (n: number) => {
      const labels = Array.from({ length: n }, () => rng.int(2));
      return tf.tidy(() => ({
        x: tf.add(tf.stack(labels.map((y) => (y === 0 ? top : bottom))), tf.randomNormal([n, 4, 4, 1], 0, 0.05)),
        labels: tf.tensor1d(labels, "int32"),
      }));
    };
    await trainer.train({ steps: 150, sampleReal: sample });
    const labels = classGridLabels(2, 50);
    const x = trainer.generate(100, { labels });
    const topMinusBottom = tf.tidy(() => tf.sub(tf.mean(tf.slice(x, [0, 0, 0, 0], [-1, 2, -1, -1]), [1, 2, 3]), tf.mean(tf.slice(x, [0, 2, 0, 0], [-1, 2, -1, -1]), [1, 2, 3])));
    const v = Array.from(topMinusBottom.dataSync());
    const correct = v.filter((d, i) => (i < 50 ? d > 0 : d < 0)).length;
    expect(correct / 100).toBeGreaterThan(0.95);
    trainer.dispose();
  });
});
