import { beforeAll, describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { MinibatchStddev, minibatchStddev, minibatchStddevStatistic } from "../../lib/layers/minibatch-stddev";
import { loadModel, saveModel } from "../../lib/checkpoints/model-files";
import { seedGlobalRandom } from "../../lib/random";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const std = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / xs.length);
};

describe("minibatchStddevStatistic", () => {
  it("is the mean over features of the batch standard deviation", () => {
    const x = tf.tensor2d([[0, 1], [2, 1], [4, 7]]);
    const expected = (std([0, 2, 4]) + std([1, 1, 7])) / 2;
    const s = Array.from(minibatchStddevStatistic(x).dataSync());
    expect(s).toHaveLength(3);
    for (const v of s) expect(v).toBeCloseTo(expected, 5);
  });

  it("uses groups g, g+M, g+2M, … (Karras et al.'s reshape) and is ~0 for copies", () => {
    // batch 4, groupSize 2 → M = 2 groups: {0, 2} and {1, 3}
    const x = tf.tensor2d([[0], [5], [2], [5]]);
    const s = Array.from(minibatchStddevStatistic(x, 2).dataSync());
    expect(s[0]).toBeCloseTo(1, 4); // std of {0, 2}
    expect(s[2]).toBeCloseTo(1, 4);
    expect(s[1]).toBeLessThan(1e-3); // {5, 5}
    expect(s[3]).toBeLessThan(1e-3);
    expect(() => minibatchStddevStatistic(tf.zeros([5, 2]), 2)).toThrow(/not divisible/);
  });
});

describe("MinibatchStddev layer", () => {
  it("appends one constant feature (vectors) or channel (images)", () => {
    seedGlobalRandom(1);
    const x2 = tf.randomNormal([6, 3]);
    const y2 = minibatchStddev().apply(x2) as tf.Tensor;
    expect(y2.shape).toEqual([6, 4]);
    const x4 = tf.randomNormal([4, 5, 5, 2]);
    const layer = minibatchStddev({ groupSize: 2 });
    const y4 = layer.apply(x4) as tf.Tensor;
    expect(y4.shape).toEqual([4, 5, 5, 3]);
    expect(layer.computeOutputShape([null, 5, 5, 2])).toEqual([null, 5, 5, 3]);
    const extra = tf.slice(y4, [0, 0, 0, 2], [4, 5, 5, 1]);
    const s = minibatchStddevStatistic(x4, 2).dataSync();
    const e = extra.arraySync() as number[][][][];
    for (let i = 0; i < 4; i++) expect(e[i][3][1][0]).toBeCloseTo(s[i], 5);
    expect(tf.max(tf.abs(tf.sub(tf.slice(y4, [0, 0, 0, 0], [4, 5, 5, 2]), x4))).dataSync()[0]).toBe(0);
  });

  it("passes gradients and leaks no tensors per step", () => {
    seedGlobalRandom(2);
    const input = tf.input({ shape: [4] });
    const out = tf.layers.dense({ units: 1 }).apply(minibatchStddev().apply(tf.layers.dense({ units: 3 }).apply(input))) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const opt = tf.train.sgd(0.1);
    const x = tf.randomNormal([8, 4]);
    const step = () => opt.minimize(() => tf.mean(model.apply(x) as tf.Tensor) as tf.Scalar, false);
    step();
    const before = tf.memory().numTensors;
    step();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("round-trips through saveModel/loadModel", async () => {
    seedGlobalRandom(3);
    const input = tf.input({ shape: [6, 6, 1] });
    let h = tf.layers.conv2d({ filters: 2, kernelSize: 3, strides: 2, padding: "same" }).apply(input) as tf.SymbolicTensor;
    h = minibatchStddev({ groupSize: 2 }).apply(h) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 1 }).apply(tf.layers.flatten().apply(h)) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mbstd-"));
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    const layer = loaded.layers.find((l) => l instanceof MinibatchStddev) as MinibatchStddev;
    expect(layer.groupSize).toBe(2);
    const x = tf.randomNormal([4, 6, 6, 1]);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
  });

  it("rejects a bad group size and 3-D inputs", () => {
    expect(() => minibatchStddev({ groupSize: -1 })).toThrow(/groupSize/);
    expect(() => minibatchStddev().computeOutputShape([null, 3, 2])).toThrow(/expects/);
  });
});
