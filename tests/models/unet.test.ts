import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { translate, unet } from "../../lib/models/unet";
import { seedGlobalRandom } from "../../lib/random";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("U-Net", () => {
  it("maps images to images of the same size in [−1, 1], at any depth the size allows", () => {
    seedGlobalRandom(1);
    for (const depth of [1, 2, 3]) {
      const g = unet({ imageShape: [16, 16, 1], baseChannels: 4, depth });
      const y = g.predict(tf.randomUniform([2, 16, 16, 1], -1, 1)) as tf.Tensor;
      expect(y.shape).toEqual([2, 16, 16, 1]);
      expect(tf.max(tf.abs(y)).dataSync()[0]).toBeLessThanOrEqual(1);
    }
    expect(unet({ imageShape: [8, 8, 2], outChannels: 3, baseChannels: 2 }).outputs[0].shape).toEqual([null, 8, 8, 3]);
    expect(() => unet({ imageShape: [28, 28, 1], depth: 3 })).toThrow(/not divisible/);
  });

  it("has skip connections (concatenations) unless asked not to", () => {
    const names = (m: tf.LayersModel) => m.layers.map((l) => l.getClassName());
    expect(names(unet({ imageShape: [8, 8, 1], baseChannels: 2, depth: 2 })).filter((n) => n === "Concatenate").length).toBe(1);
    expect(names(unet({ imageShape: [16, 16, 1], baseChannels: 2, depth: 3 })).filter((n) => n === "Concatenate").length).toBe(2);
    expect(names(unet({ imageShape: [8, 8, 1], baseChannels: 2, depth: 2, skips: false }))).not.toContain("Concatenate");
  });

  it("with skips, a pixel change reaches the output through the short path even when the bottleneck path is cut", () => {
    seedGlobalRandom(2);
    const g = unet({ imageShape: [8, 8, 1], baseChannels: 2, depth: 2 });
    // Zero the innermost encoder's kernel: the deep path now carries nothing that depends on x.
    const enc2 = g.getLayer("enc2_conv");
    enc2.setWeights(enc2.getWeights().map((w) => tf.zerosLike(w)));
    const x = tf.randomUniform([1, 8, 8, 1], -1, 1);
    const bumped = tf.add(x, tf.oneHot(tf.tensor1d([27], "int32"), 64).reshape([1, 8, 8, 1]));
    const diff = tf.max(tf.abs(tf.sub(g.predict(x) as tf.Tensor, g.predict(bumped) as tf.Tensor))).dataSync()[0];
    expect(diff).toBeGreaterThan(0);
  });

  it("without skips it is local; a dense bottleneck makes every output pixel depend on every input pixel", () => {
    seedGlobalRandom(4);
    const reach = (g: tf.LayersModel) => tf.tidy(() => {
      const x = tf.randomUniform([1, 16, 16, 1], -1, 1);
      const bumped = tf.add(x, tf.oneHot(tf.tensor1d([0], "int32"), 256).reshape([1, 16, 16, 1])); // top-left pixel
      const diff = tf.abs(tf.sub(g.predict(x) as tf.Tensor, g.predict(bumped) as tf.Tensor)); // [1, 16, 16, 1]
      return diff.slice([0, 12, 12, 0], [1, 4, 4, 1]).max().dataSync()[0]; // the far bottom-right corner
    });
    const local = unet({ imageShape: [16, 16, 1], baseChannels: 4, depth: 2, skips: false });
    const global = unet({ imageShape: [16, 16, 1], baseChannels: 4, depth: 2, skips: false, denseBottleneck: 8 });
    expect(reach(local)).toBe(0);
    expect(reach(global)).toBeGreaterThan(0);
    expect(global.getLayer("bottleneck_dense").outputShape).toEqual([null, 8]);
    expect(global.outputs[0].shape).toEqual([null, 16, 16, 1]);
    expect(() => unet({ denseBottleneck: -1 })).toThrow(/denseBottleneck/);
  });

  it("translate() equals one inference pass, in batches, without leaks", () => {
    seedGlobalRandom(3);
    const g = unet({ imageShape: [8, 8, 1], baseChannels: 2, depth: 2, dropout: 0.5 });
    const x = tf.randomUniform([7, 8, 8, 1], -1, 1);
    const direct = g.predict(x) as tf.Tensor;
    const before = tf.memory().numTensors;
    const batched = translate(g, x, 3);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(batched.shape).toEqual([7, 8, 8, 1]);
    expect(tf.max(tf.abs(tf.sub(direct, batched))).dataSync()[0]).toBeLessThan(1e-6);
  });
});
