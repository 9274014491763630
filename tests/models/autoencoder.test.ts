import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { autoencoder, decodeImages, encodeImages, logitsToImages } from "../../lib/models/autoencoder";
import { seedGlobalRandom } from "../../lib/random";

beforeAll(async () => {
  await tf.setBackend("cpu");
  seedGlobalRandom(2);
});

describe("autoencoder", () => {
  it("maps images [b, 28, 28, 1] to codes [b, latentDim] and back to logits [b, 28, 28, 1]", () => {
    const ae = autoencoder({ latentDim: 4, hidden: [32, 16] });
    const x = tf.zeros([3, 28, 28, 1]);
    const z = encodeImages(ae.encoder, x);
    expect(z.shape).toEqual([3, 4]);
    expect(decodeImages(ae.decoder, z).shape).toEqual([3, 28, 28, 1]);
    expect(ae.encoder.layers.filter((l) => l.getClassName() === "Dense").map((l) => (l.getConfig() as any).units)).toEqual([32, 16, 4]);
    expect(ae.decoder.layers.filter((l) => l.getClassName() === "Dense").map((l) => (l.getConfig() as any).units)).toEqual([16, 32, 784]);
  });

  it("logitsToImages is 2σ(l) − 1", () => {
    const out = logitsToImages(tf.tensor1d([-3, 0, 2])).dataSync();
    [-3, 0, 2].forEach((l, i) => expect(out[i]).toBeCloseTo(2 / (1 + Math.exp(-l)) - 1, 6));
  });
});
