import { describe, expect, it } from "vitest";
import { wasserstein1d, wassersteinToMixture } from "../../lib/theory/wasserstein";
import { gaussian1d, sampleMixtureArray } from "../../lib/data/mixture1d";
import { createRng } from "../../lib/random";

describe("1-D Wasserstein-1 distance", () => {
  it("between samples: point masses, shifts, different sizes", () => {
    expect(wasserstein1d([0], [1])).toBe(1);
    expect(wasserstein1d([0, 1, 3], [2, 3, 5])).toBeCloseTo(2, 12);
    expect(wasserstein1d([0, 0], [1])).toBe(1);
    expect(wasserstein1d([0, 2], [1])).toBe(1); // half the mass moves 1 left, half 1 right
    expect(wasserstein1d([3, 1, 2], [1, 2, 3])).toBe(0);
    expect(() => wasserstein1d([], [1])).toThrow(/empty/);
  });
  it("from a point mass at μ to N(μ, σ) is σ·√(2/π); from a shifted point mass it grows", () => {
    const g = gaussian1d(1, 0.5);
    expect(wassersteinToMixture([1], g)).toBeCloseTo(0.5 * Math.sqrt(2 / Math.PI), 5);
    expect(wassersteinToMixture([11], g)).toBeCloseTo(10, 4);
  });
  it("a large sample of the mixture is close to it", () => {
    const g = gaussian1d(-2, 1.5);
    expect(wassersteinToMixture(sampleMixtureArray(g, 20000, createRng(5)), g)).toBeLessThan(0.03);
  });
});
