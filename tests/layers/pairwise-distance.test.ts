import { beforeAll, describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { PairwiseDistance, meanPairwiseDistance, pairwiseDistance } from "../../lib/layers/pairwise-distance";
import { loadModel, saveModel } from "../../lib/checkpoints/model-files";
import { seedGlobalRandom } from "../../lib/random";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("meanPairwiseDistance", () => {
  it("is the mean L2 distance to the other samples", () => {
    // points 0, (3,4), (6,8): distances 5, 10, 5
    const d = Array.from(meanPairwiseDistance(tf.tensor2d([[0, 0], [3, 4], [6, 8]])).dataSync());
    expect(d[0]).toBeCloseTo(7.5, 4);
    expect(d[1]).toBeCloseTo(5, 4);
    expect(d[2]).toBeCloseTo(7.5, 4);
  });

  it("is ~0 for copies, with a finite gradient", () => {
    const x = tf.tile(tf.tensor2d([[1, 2, 3]]), [4, 1]) as tf.Tensor2D;
    expect(tf.max(meanPairwiseDistance(x)).dataSync()[0]).toBeLessThan(1e-3);
    const g = tf.grad((t: tf.Tensor) => tf.sum(meanPairwiseDistance(t as tf.Tensor2D)))(x);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    expect(() => meanPairwiseDistance(tf.zeros([1, 2]) as tf.Tensor2D)).toThrow(/at least 2/);
  });
});

describe("PairwiseDistance layer", () => {
  const build = () => {
    const input = tf.input({ shape: [2] });
    const h = pairwiseDistance().apply(tf.layers.dense({ units: 4 }).apply(input)) as tf.SymbolicTensor;
    return tf.model({ inputs: input, outputs: tf.layers.dense({ units: 1 }).apply(h) as tf.SymbolicTensor });
  };

  it("appends d_i as one feature", () => {
    const x = tf.tensor2d([[0, 0], [3, 4], [6, 8]]);
    const layer = pairwiseDistance();
    const y = (layer.apply(x) as tf.Tensor).arraySync() as number[][];
    expect(y.map((r) => r.length)).toEqual([3, 3, 3]);
    expect(y[1][2]).toBeCloseTo(5, 4);
    expect(layer.computeOutputShape([null, 2])).toEqual([null, 3]);
  });

  it("leaks no tensors per training step", () => {
    seedGlobalRandom(1);
    const model = build();
    const opt = tf.train.adam(1e-2);
    const x = tf.randomNormal([8, 2]);
    const step = () => opt.minimize(() => tf.mean(model.apply(x) as tf.Tensor) as tf.Scalar, false);
    step();
    const before = tf.memory().numTensors;
    step();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("round-trips through saveModel/loadModel", async () => {
    seedGlobalRandom(2);
    const model = build();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pd-"));
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    expect(loaded.layers.some((l) => l instanceof PairwiseDistance)).toBe(true);
    const x = tf.randomNormal([5, 2]);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
  });
});
