import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { FeatureExtractor, extractFeatureRows, extractFeatures } from "../../lib/metrics/features";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("extractFeatures", () => {
  const w = tf.randomNormal([16, 3], 0, 1, "float32", 1); // a fixed linear "network" 4×4×1 → 3
  const extractor: FeatureExtractor = (images) => tf.matMul(tf.reshape(images, [images.shape[0], -1]), w) as tf.Tensor2D;

  it("batched result equals one big call, for a batch size that does not divide N", () => {
    const images = tf.randomUniform([23, 4, 4, 1], 0, 1, "float32", 2) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const feats = extractFeatures(extractor, images, 5);
    expect(tf.memory().numTensors).toBe(before + 1); // only the returned tensor remains
    expect(feats.shape).toEqual([23, 3]);
    const direct = tf.tidy(() => extractor(images));
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(feats, direct))).dataSync()[0]);
    expect(diff).toBeLessThan(1e-5);
    tf.dispose([feats, direct]);
    // One batch covering everything, and the rows variant, also leak nothing.
    const single = extractFeatures(extractor, images, 100);
    expect(single.shape).toEqual([23, 3]);
    single.dispose();
    const rows = extractFeatureRows(extractor, images, 7);
    expect(rows).toHaveLength(23);
    expect(tf.memory().numTensors).toBe(before);
    images.dispose();
  });

  it("rejects an extractor that returns the wrong shape, without leaking", () => {
    const images = tf.zeros([6, 4, 4, 1]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const bad: FeatureExtractor = (x) => tf.reshape(x, [-1, 8]) as tf.Tensor2D; // 6·16/8 = 12 rows
    expect(() => extractFeatures(bad, images, 4)).toThrow(/expected \[4, d\]/);
    expect(tf.memory().numTensors).toBe(before);
    images.dispose();
  });
});
