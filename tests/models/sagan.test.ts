import { beforeAll, describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { attentionLayers, attentionMaps, attentionOverlay, saganDiscriminator, saganGenerator, spectralNormLayers } from "../../lib/models/sagan";
import { SelfAttention } from "../../lib/layers/self-attention";
import { loadModel, saveModel } from "../../lib/checkpoints";
import { GanTrainer } from "../../lib/train/trainer";
import { hingeLoss } from "../../lib/losses";
import { seedGlobalRandom } from "../../lib/random";

beforeAll(async () => {
  await tf.setBackend("cpu");
  seedGlobalRandom(4);
});

const small = { latentDim: 8, baseChannels: 8 };

describe("SAGAN models", () => {
  it("G maps z to [b, 28, 28, 1] in [-1, 1]; D maps images to one score", () => {
    const g = saganGenerator(small);
    const d = saganDiscriminator(small);
    const x = g.predict(tf.randomNormal([3, 8])) as tf.Tensor;
    expect(x.shape).toEqual([3, 28, 28, 1]);
    expect(tf.max(tf.abs(x)).dataSync()[0]).toBeLessThanOrEqual(1);
    expect((d.predict(x) as tf.Tensor).shape).toEqual([3, 1]);
  });

  it("puts spectral norm on every weight layer, attention at 14×14 in G and 7×7 in D; the ablations remove them", () => {
    const g = saganGenerator(small);
    const d = saganDiscriminator(small);
    expect(spectralNormLayers(g).map((l) => l.layer.getClassName())).toEqual(["Dense", "Conv2DTranspose", "Conv2DTranspose"]);
    expect(spectralNormLayers(d).map((l) => l.layer.getClassName())).toEqual(["Conv2D", "Conv2D", "Dense"]);
    for (const [m, shape] of [[g, [null, 14, 14, 8]], [d, [null, 7, 7, 16]]] as const) {
      const attn = attentionLayers(m);
      expect(attn.length).toBe(1);
      expect((attn[0].input as tf.SymbolicTensor).shape).toEqual(shape);
      expect(attn[0].spectralNorm).toBe(true);
    }
    expect(d.layers.some((l) => l.getClassName() === "BatchNormalization")).toBe(false);
    expect(g.layers.filter((l) => l.getClassName() === "BatchNormalization").length).toBe(2);
    expect(attentionLayers(saganGenerator({ ...small, attention: false })).length).toBe(0);
    expect(spectralNormLayers(saganDiscriminator({ ...small, spectralNorm: false })).length).toBe(0);
    expect(attentionLayers(saganDiscriminator({ ...small, spectralNorm: false }))[0].spectralNorm).toBe(false);
  });

  it("reads attention maps out of G: [b, 196, 196], rows summing to 1; overlays are RGB tiles", () => {
    const g = saganGenerator(small);
    const z = tf.randomNormal([2, 8]);
    const att = attentionMaps(g, z);
    expect([att.height, att.width]).toEqual([14, 14]);
    expect(att.maps.shape).toEqual([2, 196, 196]);
    Array.from(tf.sum(att.maps, -1).dataSync()).forEach((s) => expect(s).toBeCloseTo(1, 4));
    const images = g.predict(z) as tf.Tensor4D;
    const tiles = attentionOverlay(images, att, [[3, 4], [10, 10], [0, 0]]);
    expect(tiles.shape).toEqual([6, 28, 28, 3]);
    expect(tf.min(tiles).dataSync()[0]).toBeGreaterThanOrEqual(0);
    expect(tf.max(tiles).dataSync()[0]).toBeLessThanOrEqual(1);
    // The query block (rows 6–7, cols 8–9 for query (3, 4)) is pure green.
    const px = tiles.slice([0, 6, 8, 0], [1, 1, 1, 3]).dataSync();
    expect(Array.from(px)).toEqual([0, 1, 0]);
    expect(() => attentionMaps(saganGenerator({ ...small, attention: false }), z)).toThrow(/no self-attention/);
  });

  it("trains with the hinge loss in the GanTrainer without leaking tensors", () => {
    const trainer = new GanTrainer({ generator: saganGenerator(small), discriminator: saganDiscriminator(small), loss: hingeLoss, latentDim: 8, batchSize: 4, lrD: 4e-4, lrG: 1e-4, beta1: 0, beta2: 0.9 });
    const sampleReal = (n: number) => ({ x: tf.tidy(() => tf.clipByValue(tf.randomNormal([n, 28, 28, 1]), -1, 1)) });
    trainer.step(sampleReal);
    const before = tf.memory().numTensors;
    const metrics = trainer.step(sampleReal);
    expect(tf.memory().numTensors).toBe(before);
    expect(Number.isFinite(metrics.lossD) && Number.isFinite(metrics.lossG)).toBe(true);
    // Both attention layers' γ moved off 0 (the gradient reaches them).
    for (const m of [trainer.generator, trainer.discriminator]) expect(attentionLayers(m)[0].gammaValue()).not.toBe(0);
    trainer.dispose();
  });

  it("round-trips G and D through saveModel/loadModel", async () => {
    const g = saganGenerator(small);
    const d = saganDiscriminator(small);
    const z = tf.randomNormal([2, 8]);
    tf.dispose(g.apply(z, { training: true }) as tf.Tensor); // move u and the BN statistics
    for (const m of [g, d]) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sagan-"));
      await saveModel(m, dir);
      const loaded = await loadModel(dir);
      expect(loaded.layers.filter((l) => l instanceof SelfAttention).length).toBe(1);
      const input = m === g ? z : (g.predict(z) as tf.Tensor);
      expect(Array.from((loaded.predict(input) as tf.Tensor).dataSync())).toEqual(Array.from((m.predict(input) as tf.Tensor).dataSync()));
    }
  });
});
