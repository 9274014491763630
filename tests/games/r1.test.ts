import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { r1Regularizer } from "../../lib/games/r1";
import { StepContext } from "../../lib/train/trainer";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("R1 penalty", () => {
  it("is (γ/2)·mean ‖∇_x D(x)‖² on the real batch", () => {
    // D(x) = w·x + b with w = (1, −2): ‖∇D‖² = 5 for every x
    const d = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: tf.initializers.constant({ value: 0 }) })] });
    d.layers[0].setWeights([tf.tensor2d([[1], [-2]]), tf.tensor1d([0.3])]);
    const ctx = { real: { x: tf.randomNormal([4, 2]) }, discriminator: d } as unknown as StepContext;
    expect(r1Regularizer(3).discriminator!(ctx).dataSync()[0]).toBeCloseTo(1.5 * 5, 5);
  });
  it("for a quadratic D(x) = x², it is (γ/2)·mean (2x)²", () => {
    const d = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], useBias: false, kernelInitializer: "ones" })] });
    const square = { apply: (x: tf.Tensor) => tf.square(d.apply(x) as tf.Tensor) } as unknown as tf.LayersModel;
    const ctx = { real: { x: tf.tensor2d([[1], [2]]) }, discriminator: square } as unknown as StepContext;
    expect(r1Regularizer(2).discriminator!(ctx).dataSync()[0]).toBeCloseTo((4 + 16) / 2, 4);
  });
});
