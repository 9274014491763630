import { describe, expect, it } from "vitest";
import { binnedJsd, histogramProbabilities, jsDivergence, jsDivergence1d, klDivergence, klDivergence1d, mixtureBinProbabilities } from "../../lib/theory/divergences";
import { gaussian1d, mixture1d, sampleMixtureArray } from "../../lib/data/mixture1d";
import { simpson, densityFn } from "../../lib/theory/integrate";
import { createRng } from "../../lib/random";

describe("discrete KL and JSD", () => {
  it("closed forms", () => {
    expect(jsDivergence([1, 0], [0, 1])).toBeCloseTo(Math.log(2), 12);
    expect(jsDivergence([0.2, 0.3, 0.5], [0.2, 0.3, 0.5])).toBe(0);
    // p = (1/2, 1/2), q = (1, 0), m = (3/4, 1/4)
    const expected = 0.5 * (0.5 * Math.log(0.5 / 0.75) + 0.5 * Math.log(0.5 / 0.25)) + 0.5 * Math.log(1 / 0.75);
    expect(jsDivergence([0.5, 0.5], [1, 0])).toBeCloseTo(expected, 12);
    expect(jsDivergence([1, 0], [0.5, 0.5])).toBeCloseTo(expected, 12);
    expect(klDivergence([0.5, 0.5], [0.25, 0.75])).toBeCloseTo(0.5 * Math.log(2) + 0.5 * Math.log(2 / 3), 12);
    expect(klDivergence([0.5, 0.5], [1, 0])).toBe(Infinity);
  });
  it("rejects non-distributions", () => {
    expect(() => jsDivergence([0.5, 0.6], [0.5, 0.5])).toThrow(/sum to 1/);
    expect(() => jsDivergence([1.5, -0.5], [0.5, 0.5])).toThrow(/non-negative/);
    expect(() => jsDivergence([1], [0.5, 0.5])).toThrow(/1 and 2 outcomes/);
  });
});

describe("continuous KL and JSD", () => {
  it("KL of two Gaussians matches log(σ2/σ1) + (σ1² + (μ1 − μ2)²)/(2σ2²) − 1/2", () => {
    const kl = klDivergence1d(gaussian1d(0.5, 0.8), gaussian1d(-1, 1.7));
    expect(kl).toBeCloseTo(Math.log(1.7 / 0.8) + (0.64 + 2.25) / (2 * 2.89) - 0.5, 8);
  });
  it("JSD is 0 for equal densities, log 2 for disjoint ones, and symmetric", () => {
    const a = mixture1d([-1, 1], [0.4, 0.4]);
    expect(jsDivergence1d(a, a)).toBeCloseTo(0, 10);
    expect(jsDivergence1d(gaussian1d(-50, 1), gaussian1d(50, 1))).toBeCloseTo(Math.log(2), 8);
    const b = gaussian1d(0.3, 2);
    expect(jsDivergence1d(a, b)).toBeCloseTo(jsDivergence1d(b, a), 10);
  });
});

describe("binned JSD of samples against a mixture", () => {
  const m = mixture1d([-1, 1.5], [0.5, 0.5], [0.4, 0.6]);
  it("bin probabilities equal the integrated density and sum to 1", () => {
    const probs = mixtureBinProbabilities(m, { lo: -2, hi: 2, bins: 4 });
    expect(probs).toHaveLength(6);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(probs[2]).toBeCloseTo(simpson(densityFn(m), -1, 0), 6);
    const hist = histogramProbabilities([-3, -1.5, -0.5, 0.5, 1.5, 2, 5], { lo: -2, hi: 2, bins: 4 });
    expect(hist.map((p) => p * 7)).toEqual([1, 1, 1, 1, 1, 2]);
  });
  it("samples of the mixture score near the floor, samples of another distribution far above", () => {
    const rng = createRng(3);
    const own = binnedJsd(sampleMixtureArray(m, 20000, rng), m);
    const other = binnedJsd(sampleMixtureArray(gaussian1d(0, 1), 20000, rng), m);
    expect(own).toBeLessThan(3 * (41 / (8 * 20000)));
    expect(other).toBeGreaterThan(0.05);
  });
});
