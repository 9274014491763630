import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../lib/backend/select";
import * as tf from "@tensorflow/tfjs";
import { evaluateCycleGan, evaluateTranslation, greyFraction, pixelSpread } from "../../lib/recipes/translation-evaluation";
import { loadMnist } from "../../lib/data/mnist";
import { thicken } from "../../lib/data/domains";

beforeAll(async () => {
  await initBackend("wasm"); // the reference classifier's convolutions are slow on the cpu backend
});

/** A model computing a fixed function of its input (no weights). */
function fixed(fn: "identity" | "thicken" | "blur" | "flip"): tf.LayersModel {
  const x = tf.input({ shape: [28, 28, 1] });
  const layer = {
    identity: () => tf.layers.activation({ activation: "linear" }),
    thicken: () => tf.layers.maxPooling2d({ poolSize: 3, strides: 1, padding: "same" }),
    blur: () => tf.layers.averagePooling2d({ poolSize: 5, strides: 1, padding: "same" }),
    flip: () => tf.layers.permute({ dims: [2, 1, 3] }), // transpose: the digit is no longer itself
  }[fn]();
  return tf.model({ inputs: x, outputs: layer.apply(x) as tf.SymbolicTensor });
}

describe("translation evaluation", () => {
  it("grey fraction counts undecided pixels", () => {
    expect(greyFraction(tf.tensor1d([-1, 1, 0, 0.4, -0.6]))).toBeCloseTo(2 / 5, 6);
  });

  it("pixel spread is the mean per-pixel standard deviation across images (0 for copies of one image)", () => {
    const x = tf.tensor4d([-1, 1, -1, 1, 1, 1, -1, -1], [2, 2, 2, 1]); // pixels differ, agree, agree, differ
    expect(pixelSpread(x)).toBeCloseTo((1 + 0 + 0 + 1) / 4, 6);
    expect(pixelSpread(tf.tile(x.slice(0, 1), [5, 1, 1, 1]))).toBe(0);
  });

  it("scores the true translation perfectly and blur, transposition and cycles as they are", async () => {
    const mnist = loadMnist();
    const a = mnist.test.images.slice(0, 150);
    const labels = mnist.test.labels.slice(0, 150);
    const b = thicken(a, "square");
    const perfect = await evaluateTranslation(fixed("thicken"), a, b, labels, { inverse: fixed("identity") });
    expect(perfect.l1ToTruth).toBe(0);
    expect(perfect.fid).toBeLessThan(1e-3);
    expect(perfect.cycleError).toBeGreaterThan(0); // identity does not undo thickening
    expect(perfect.n).toBe(150);
    const same = await evaluateTranslation(fixed("identity"), a, a, labels, { inverse: fixed("identity") });
    expect(same.labelPreservation).toBe(1);
    expect(same.cycleError).toBe(0);
    expect(same.accuracy).toBeGreaterThan(0.95);
    const blurred = await evaluateTranslation(fixed("blur"), a, a, labels);
    expect(blurred.greyFraction).toBeGreaterThan(2 * same.greyFraction);
    expect(blurred.fid).toBeGreaterThan(same.fid);
    const flipped = await evaluateTranslation(fixed("flip"), a, a, labels);
    expect(flipped.labelPreservation).toBeLessThan(0.6);
    expect(same.spread).toBeCloseTo(pixelSpread(a), 6);
    const cycle = await evaluateCycleGan(fixed("thicken"), fixed("identity"), { a, b, labels });
    expect(cycle.aToB.l1ToTruth).toBe(0); // G is the true thickening
    expect(cycle.aToB.cycleError).toBeCloseTo(perfect.cycleError!, 6);
    expect(cycle.bToA.l1ToTruth).toBeGreaterThan(0); // F = identity leaves b thick
    expect(cycle.bToA.n).toBe(150);
  }, 600_000);
});
