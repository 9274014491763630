import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { hingeLoss, leastSquaresLoss, minimaxLoss, nonSaturatingLoss, wassersteinLoss, gradientPenalty } from "../../lib/losses";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const sig = (l: number) => 1 / (1 + Math.exp(-l));
const val = (t: tf.Scalar) => t.dataSync()[0];

describe("GAN losses against closed forms", () => {
  const lr = [0.3, -1.2, 2.0];
  const lf = [-0.7, 0.1, 1.5];
  const dReal = tf.tensor1d(lr);
  const dFake = tf.tensor1d(lf);
  const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;

  it("minimax: D is binary cross-entropy, G is E[log(1 − D(G(z)))]", () => {
    expect(val(minimaxLoss.discriminator(dReal, dFake))).toBeCloseTo(mean(lr.map((l) => -Math.log(sig(l)))) + mean(lf.map((l) => -Math.log(1 - sig(l)))), 5);
    expect(val(minimaxLoss.generator(dFake))).toBeCloseTo(mean(lf.map((l) => Math.log(1 - sig(l)))), 5);
  });
  it("non-saturating: G is −E[log D(G(z))]", () => {
    expect(val(nonSaturatingLoss.generator(dFake))).toBeCloseTo(mean(lf.map((l) => -Math.log(sig(l)))), 5);
  });
  it("least squares, wasserstein and hinge", () => {
    expect(val(leastSquaresLoss.discriminator(dReal, dFake))).toBeCloseTo(0.5 * mean(lr.map((x) => (x - 1) ** 2)) + 0.5 * mean(lf.map((x) => x * x)), 5);
    expect(val(leastSquaresLoss.generator(dFake))).toBeCloseTo(0.5 * mean(lf.map((x) => (x - 1) ** 2)), 5);
    expect(val(wassersteinLoss.discriminator(dReal, dFake))).toBeCloseTo(mean(lf) - mean(lr), 5);
    expect(val(hingeLoss.discriminator(dReal, dFake))).toBeCloseTo(mean(lr.map((x) => Math.max(0, 1 - x))) + mean(lf.map((x) => Math.max(0, 1 + x))), 5);
    expect(val(hingeLoss.generator(dFake))).toBeCloseTo(-mean(lf), 5);
  });
  it("stays finite for extreme logits (no log of a rounded sigmoid)", () => {
    const big = tf.tensor1d([-200, 200]);
    for (const loss of [minimaxLoss, nonSaturatingLoss]) {
      expect(Number.isFinite(val(loss.discriminator(big, big)))).toBe(true);
      expect(Number.isFinite(val(loss.generator(big)))).toBe(true);
    }
    expect(val(nonSaturatingLoss.generator(tf.tensor1d([-200])))).toBeCloseTo(200, 3);
  });
  it("gradient penalty is zero for a critic with unit-norm gradient and grows otherwise", () => {
    const xReal = tf.randomNormal([8, 3]);
    const xFake = tf.randomNormal([8, 3]);
    const unit = (x: tf.Tensor) => tf.sum(tf.mul(x, tf.tensor1d([0.6, 0.8, 0])), 1); // ‖∇‖ = 1
    const steep = (x: tf.Tensor) => tf.sum(tf.mul(x, tf.tensor1d([3, 0, 0])), 1); // ‖∇‖ = 3
    expect(val(gradientPenalty(unit, xReal, xFake, 10))).toBeCloseTo(0, 4);
    expect(val(gradientPenalty(steep, xReal, xFake, 10))).toBeCloseTo(10 * 4, 3);
  });
});
