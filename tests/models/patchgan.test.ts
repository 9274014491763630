import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { convOutputSize, patchGan, patchGanLayers, receptiveField } from "../../lib/models/patchgan";
import { seedGlobalRandom } from "../../lib/random";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("PatchGAN geometry", () => {
  it("the paper's 70×70 PatchGAN: 256×256 → 30×30 verdicts of 70×70 patches", () => {
    // C64-C128-C256 (k4, s2, p1), C512 (k4, s1, p1), then a 1-channel conv (k4, s1, p1).
    const layers = [
      { kernel: 4, stride: 2, padding: 1 }, { kernel: 4, stride: 2, padding: 1 }, { kernel: 4, stride: 2, padding: 1 },
      { kernel: 4, stride: 1, padding: 1 }, { kernel: 4, stride: 1, padding: 1 },
    ];
    expect(convOutputSize(256, layers)).toBe(30);
    expect(receptiveField(layers)).toBe(70);
  });

  it("ours: 28×28 → 7×7 verdicts of 18×18 patches; 'valid' and 'same' sizes", () => {
    expect(convOutputSize(28, patchGanLayers())).toBe(7);
    expect(receptiveField(patchGanLayers())).toBe(18);
    expect(convOutputSize(28, patchGanLayers({ nDown: 1 }))).toBe(14);
    expect(receptiveField(patchGanLayers({ nDown: 1 }))).toBe(8);
    expect(convOutputSize(10, [{ kernel: 3, stride: 1, padding: "valid" }])).toBe(8);
    expect(convOutputSize(7, [{ kernel: 4, stride: 2, padding: "same" }])).toBe(4);
  });
});

describe("PatchGAN model", () => {
  it("outputs a grid of logits; conditional D takes [source, x]", () => {
    const d = patchGan({ imageShape: [28, 28, 1], baseChannels: 2 });
    expect((d.predict(tf.zeros([3, 28, 28, 1])) as tf.Tensor).shape).toEqual([3, 7, 7, 1]);
    const c = patchGan({ imageShape: [16, 16, 1], conditionChannels: 1, baseChannels: 2, nDown: 1 });
    expect(c.inputs.length).toBe(2);
    expect((c.predict([tf.zeros([2, 16, 16, 1]), tf.zeros([2, 16, 16, 1])]) as tf.Tensor).shape).toEqual([2, 8, 8, 1]);
  });

  it("each verdict sees only its patch: a far-away pixel leaves it unchanged", () => {
    seedGlobalRandom(1);
    const d = patchGan({ imageShape: [28, 28, 1], baseChannels: 2 });
    const x = tf.randomUniform([1, 28, 28, 1], -1, 1);
    const bumped = tf.add(x, tf.oneHot(tf.tensor1d([0], "int32"), 784).reshape([1, 28, 28, 1])); // pixel (0, 0)
    const change = tf.abs(tf.sub(d.predict(x) as tf.Tensor, d.predict(bumped) as tf.Tensor)).reshape([7, 7]).arraySync() as number[][];
    expect(change[0][0]).toBeGreaterThan(0);
    expect(change[6][6]).toBe(0);
    expect(change[3][3]).toBe(0);
  });
});
