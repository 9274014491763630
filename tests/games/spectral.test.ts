import { describe, expect, it } from "vitest";
import { eigenvalues, spectralRadius } from "../../lib/games/spectral";

describe("eigenvalues and spectral radius", () => {
  it("a rotation-scaling matrix has eigenvalues a ± ib", () => {
    const ev = eigenvalues([[0.6, -0.8], [0.8, 0.6]]);
    expect(ev.map((e) => e.re)).toEqual([expect.closeTo(0.6, 12), expect.closeTo(0.6, 12)]);
    expect(ev.map((e) => Math.abs(e.im))).toEqual([expect.closeTo(0.8, 12), expect.closeTo(0.8, 12)]);
    expect(spectralRadius([[0.6, -0.8], [0.8, 0.6]])).toBeCloseTo(1, 12);
  });
  it("real eigenvalues: the largest magnitude wins", () => {
    expect(spectralRadius([[2, 0], [0, -3]])).toBeCloseTo(3, 12);
    expect(spectralRadius([[1, 1], [0, 0.5]])).toBeCloseTo(1, 12);
  });
  it("rejects non-square input", () => {
    expect(() => eigenvalues([[1, 2]])).toThrow(/square/);
  });
});
