import { describe, expect, it } from "vitest";
import { optimalDiscriminator, optimalDiscriminatorFn } from "../../lib/theory/optimal-discriminator";
import { gaussian1d } from "../../lib/data/mixture1d";

describe("optimal discriminator D* = p_data / (p_data + p_g)", () => {
  it("closed-form values", () => {
    expect(optimalDiscriminator(3, 1)).toBe(0.75);
    expect(optimalDiscriminator(0.2, 0.2)).toBe(0.5);
    expect(optimalDiscriminator(0, 0.4)).toBe(0);
    expect(optimalDiscriminator(0, 0)).toBe(0.5); // undetermined: 1/2 by convention
    expect(() => optimalDiscriminator(-1, 1)).toThrow(/non-negative/);
  });
  it("is σ(−2x) for N(−1, 1) against N(1, 1), and 1/2 everywhere when p_g = p_data", () => {
    const d = optimalDiscriminatorFn(gaussian1d(-1, 1), gaussian1d(1, 1));
    for (const x of [-2, -0.5, 0, 1.3]) expect(d(x)).toBeCloseTo(1 / (1 + Math.exp(2 * x)), 12);
    const same = optimalDiscriminatorFn(gaussian1d(0.3, 2), gaussian1d(0.3, 2));
    for (const x of [-5, 0, 4]) expect(same(x)).toBe(0.5);
  });
});
