import { describe, expect, it } from "vitest";
import { erf, linspace, mixtureCdf, mixtureRange, rangeOf, simpson, densityFn } from "../../lib/theory/integrate";
import { gaussian1d, mixture1d, mixturePdf } from "../../lib/data/mixture1d";

describe("numerical integration", () => {
  it("Simpson's rule is exact for cubics and accurate for smooth functions", () => {
    expect(simpson((x) => x ** 3 - 2 * x, 0, 2, 2)).toBeCloseTo(0, 12);
    expect(simpson((x) => x * x, 0, 1, 10)).toBeCloseTo(1 / 3, 12);
    expect(simpson(Math.sin, 0, Math.PI)).toBeCloseTo(2, 12);
    expect(() => simpson((x) => x, 1, 0)).toThrow(/lo < hi/);
  });
  it("a mixture's density integrates to 1 over its range", () => {
    const m = mixture1d([-1, 2], [0.3, 1.5], [1, 3]);
    const [lo, hi] = mixtureRange([m]);
    expect(lo).toBeCloseTo(2 - 12 * 1.5, 12); // the wide component reaches furthest on both sides
    expect(hi).toBeCloseTo(2 + 12 * 1.5, 12);
    expect(simpson(densityFn(m), lo, hi)).toBeCloseTo(1, 10);
    expect(densityFn(m)(0.7)).toBe(mixturePdf(m, 0.7));
  });
  it("rangeOf needs an explicit range for densities given as functions", () => {
    expect(() => rangeOf([(x) => x])).toThrow(/explicit integration range/);
    expect(rangeOf([(x) => x], [0, 1])).toEqual([0, 1]);
  });
  it("erf and the mixture CDF match known values", () => {
    expect(erf(0)).toBeCloseTo(0, 7);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 6);
    expect(erf(-2)).toBeCloseTo(-0.9953222650189527, 6);
    const g = gaussian1d(1, 2);
    expect(mixtureCdf(g, 1)).toBeCloseTo(0.5, 7);
    expect(mixtureCdf(g, 1 + 2 * 1.959963985)).toBeCloseTo(0.975, 6);
  });
  it("linspace includes both ends", () => {
    expect(linspace(-1, 1, 5)).toEqual([-1, -0.5, 0, 0.5, 1]);
  });
});
