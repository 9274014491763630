import { describe, expect, it } from "vitest";
import { kde1d, silvermanBandwidth } from "../../lib/theory/kde";
import { simpson } from "../../lib/theory/integrate";

describe("kernel density estimate", () => {
  it("integrates to 1 and peaks at the samples", () => {
    const p = kde1d([0, 0, 4], 0.5);
    expect(simpson(p, -10, 14)).toBeCloseTo(1, 8);
    expect(p(0)).toBeGreaterThan(p(4));
    expect(p(0)).toBeCloseTo((2 / 3) / (0.5 * Math.sqrt(2 * Math.PI)), 6);
  });
  it("Silverman's bandwidth shrinks like n^(−1/5)", () => {
    const a = Array.from({ length: 100 }, (_, i) => i / 99);
    const b = Array.from({ length: 3200 }, (_, i) => i / 3199);
    expect(silvermanBandwidth(a) / silvermanBandwidth(b)).toBeCloseTo(32 ** 0.2, 1);
    expect(() => silvermanBandwidth([1])).toThrow(/two samples/);
  });
});
