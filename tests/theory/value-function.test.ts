import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { discriminatorValue, discriminatorValueFromLogits, optimalValue, valueFunction, xlogy } from "../../lib/theory/value-function";
import { jsDivergence1d } from "../../lib/theory/divergences";
import { optimalDiscriminatorFn } from "../../lib/theory/optimal-discriminator";
import { gaussian1d, mixture1d } from "../../lib/data/mixture1d";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("value function V(D, G)", () => {
  it("V(G, D*) = −log 4 at p_g = p_data", () => {
    const p = mixture1d([-1, 1.5], [0.5, 0.7], [0.4, 0.6]);
    expect(optimalValue(p, p)).toBeCloseTo(-Math.log(4), 9);
  });
  it("V(G, D*) = −log 4 + 2 JSD(p_data ‖ p_g) for several pairs (Theorem 1)", () => {
    const pairs = [
      [gaussian1d(0, 1), gaussian1d(1, 1)],
      [mixture1d([-2, 2], [0.5, 0.5]), gaussian1d(0, 2)],
      [gaussian1d(0, 0.3), gaussian1d(0, 3)],
      [mixture1d([-1, 1.5], [0.5, 0.5]), gaussian1d(6, 0.5)], // nearly disjoint: D* rounds to 1 in places
    ] as const;
    for (const [pd, pg] of pairs) {
      expect(Math.abs(optimalValue(pd, pg) - (-Math.log(4) + 2 * jsDivergence1d(pd, pg)))).toBeLessThan(1e-6);
      expect(optimalValue(pd, pg)).toBeGreaterThan(-Math.log(4) + 1e-3);
    }
    expect(optimalValue(mixture1d([-1, 1.5], [0.5, 0.5]), gaussian1d(6, 0.5))).toBeCloseTo(0, 3); // JSD ≈ log 2
  });
  it("D* beats any other discriminator; D = 1/2 scores exactly −log 4", () => {
    const pd = gaussian1d(0, 1);
    const pg = gaussian1d(1, 1);
    expect(valueFunction(pd, pg, () => 0.5)).toBeCloseTo(-Math.log(4), 9);
    const dStar = optimalDiscriminatorFn(pd, pg);
    const vStar = valueFunction(pd, pg, dStar);
    expect(vStar).toBeCloseTo(optimalValue(pd, pg), 10);
    for (const shift of [-0.3, 0.2]) expect(valueFunction(pd, pg, (x) => dStar(x + shift))).toBeLessThan(vStar);
  });
  it("0 log 0 = 0", () => {
    expect(xlogy(0, 0)).toBe(0);
    expect(xlogy(2, Math.E)).toBeCloseTo(2, 12);
  });
  it("batch estimate: mean log D(x) + mean log(1 − D(G(z))), and the same from logits", () => {
    const dReal = [0.9, 0.6, 0.8];
    const dFake = [0.1, 0.3];
    const expected = (Math.log(0.9) + Math.log(0.6) + Math.log(0.8)) / 3 + (Math.log(0.9) + Math.log(0.7)) / 2;
    expect(discriminatorValue(tf.tensor2d(dReal, [3, 1]), tf.tensor2d(dFake, [2, 1])).dataSync()[0]).toBeCloseTo(expected, 5);
    const logit = (d: number) => Math.log(d / (1 - d));
    const fromLogits = discriminatorValueFromLogits(tf.tensor1d(dReal.map(logit)), tf.tensor1d(dFake.map(logit)));
    expect(fromLogits.dataSync()[0]).toBeCloseTo(expected, 5);
  });
});
