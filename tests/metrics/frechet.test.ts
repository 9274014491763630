import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { fid, frechetDistance, frechetDistanceDetailed, gaussianStats } from "../../lib/metrics/frechet";
import { correlatedRows, gaussianRows } from "./helpers";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const L = [
  [1, 0, 0, 0],
  [0.5, 1.2, 0, 0],
  [-0.3, 0.4, 0.8, 0],
  [0.2, -0.6, 0.3, 1.5],
];

describe("gaussianStats", () => {
  it("matches the sample mean and unbiased covariance computed by hand", () => {
    const x = [
      [1, 2],
      [3, 5],
      [2, 2],
    ];
    const { mean, cov, n } = gaussianStats(x);
    expect(n).toBe(3);
    expect(mean[0]).toBeCloseTo(2, 12);
    expect(mean[1]).toBeCloseTo(3, 12);
    // deviations: (-1,-1), (1,2), (0,-1) → Σ = [[2, 3], [3, 6]] / 2
    expect(cov[0][0]).toBeCloseTo(1, 12);
    expect(cov[0][1]).toBeCloseTo(1.5, 12);
    expect(cov[1][0]).toBeCloseTo(1.5, 12);
    expect(cov[1][1]).toBeCloseTo(3, 12);
  });

  it("gives the same result for a tensor as for rows, and leaks no tensor", () => {
    const rows = correlatedRows(50, [1, 2, 3, 4], L, 1);
    const t = tf.tensor2d(rows);
    const before = tf.memory().numTensors;
    const a = gaussianStats(t);
    expect(tf.memory().numTensors).toBe(before);
    const b = gaussianStats(rows);
    t.dispose();
    a.mean.forEach((m, i) => expect(m).toBeCloseTo(b.mean[i], 5));
    a.cov.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(b.cov[i][j], 4)));
  });

  it("rejects fewer than 2 samples and non-finite values", () => {
    expect(() => gaussianStats([[1, 2]])).toThrow(/at least 2/);
    expect(() => gaussianStats([[1, NaN], [2, 3]])).toThrow(/non-finite/);
  });
});

describe("frechetDistance against closed forms", () => {
  it("is ≈ 0 for identical feature sets (relative to the trace)", () => {
    const x = correlatedRows(400, [0.5, -1, 2, 0], L, 2);
    const s = gaussianStats(x);
    const trace = s.cov.reduce((a, r, i) => a + r[i], 0);
    expect(fid(x, x) / trace).toBeLessThan(1e-6);
  });

  it("1-D: (μ₁ − μ₂)² + (σ₁ − σ₂)²", () => {
    for (const [m1, s1, m2, s2] of [
      [0, 1, 0, 1],
      [1, 2, -0.5, 0.5],
      [3, 0.1, 3, 4],
    ]) {
      const d = frechetDistance({ mean: [m1], cov: [[s1 * s1]] }, { mean: [m2], cov: [[s2 * s2]] });
      expect(d).toBeCloseTo((m1 - m2) ** 2 + (s1 - s2) ** 2, 10);
    }
  });

  it("diagonal covariances: ‖μ₁ − μ₂‖² + Σᵢ (σ₁ᵢ − σ₂ᵢ)²", () => {
    const s1 = [0.5, 1, 2, 3];
    const s2 = [1.5, 1, 0.2, 2];
    const m1 = [0, 1, 2, 3];
    const m2 = [1, 1, 0, -1];
    const diag = (s: number[]) => s.map((v, i) => s.map((_, j) => (i === j ? v * v : 0)));
    const d = frechetDistanceDetailed({ mean: m1, cov: diag(s1) }, { mean: m2, cov: diag(s2) });
    const meanTerm = m1.reduce((a, m, i) => a + (m - m2[i]) ** 2, 0);
    const covTerm = s1.reduce((a, s, i) => a + (s - s2[i]) ** 2, 0);
    expect(d.meanTerm).toBeCloseTo(meanTerm, 10);
    expect(d.covTerm).toBeCloseTo(covTerm, 10);
    expect(d.distance).toBeCloseTo(meanTerm + covTerm, 10);
    expect(d.offsetApplied).toBe(false);
  });

  it("non-commuting 2×2 covariances: matches Tr√(S₁S₂) = √(Tr(S₁S₂) + 2√(det S₁ det S₂))", () => {
    // S1 S2 ≠ S2 S1 for these two.
    const cases: [number[][], number[][]][] = [
      [
        [
          [2, 1],
          [1, 2],
        ],
        [
          [1, 0],
          [0, 3],
        ],
      ],
      [
        [
          [1.3, -0.7],
          [-0.7, 0.9],
        ],
        [
          [0.4, 0.25],
          [0.25, 2.2],
        ],
      ],
    ];
    for (const [s1, s2] of cases) {
      const prod = [
        [s1[0][0] * s2[0][0] + s1[0][1] * s2[1][0], s1[0][0] * s2[0][1] + s1[0][1] * s2[1][1]],
        [s1[1][0] * s2[0][0] + s1[1][1] * s2[1][0], s1[1][0] * s2[0][1] + s1[1][1] * s2[1][1]],
      ];
      const commutes = Math.abs(prod[0][1] - (s2[0][0] * s1[0][1] + s2[0][1] * s1[1][1])) < 1e-12;
      expect(commutes).toBe(false);
      const det = (m: number[][]) => m[0][0] * m[1][1] - m[0][1] * m[1][0];
      // For a 2×2 matrix with non-negative eigenvalues λ₁, λ₂: (√λ₁ + √λ₂)² = tr + 2√det.
      const trSqrt = Math.sqrt(prod[0][0] + prod[1][1] + 2 * Math.sqrt(det(s1) * det(s2)));
      const mu1 = [0.3, -1];
      const mu2 = [1, 1];
      const expected = (0.3 - 1) ** 2 + (-1 - 1) ** 2 + s1[0][0] + s1[1][1] + s2[0][0] + s2[1][1] - 2 * trSqrt;
      expect(frechetDistance({ mean: mu1, cov: s1 }, { mean: mu2, cov: s2 })).toBeCloseTo(expected, 10);
    }
  });

  it("is symmetric", () => {
    const a = correlatedRows(300, [0, 0, 0, 0], L, 3);
    const b = gaussianRows(300, [0.5, 0, -0.5, 1], [1, 2, 0.5, 1], 4);
    const ab = fid(a, b);
    expect(ab).toBeGreaterThan(0.1);
    expect(fid(b, a)).toBeCloseTo(ab, 8);
  });

  it("grows monotonically as Gaussian noise of increasing σ is added to the samples", () => {
    const x = correlatedRows(1000, [0, 1, 0, -1], L, 5);
    const noise = gaussianRows(1000, [0, 0, 0, 0], 1, 6);
    const sigmas = [0, 0.1, 0.3, 0.6, 1, 2];
    const d = sigmas.map((s) => fid(x, x.map((r, i) => r.map((v, j) => v + s * noise[i][j]))));
    expect(d[0]).toBeLessThan(1e-9);
    for (let i = 1; i < d.length; i++) expect(d[i]).toBeGreaterThan(d[i - 1]);
  });

  it("handles singular covariances (fewer samples than dimensions) without NaN", () => {
    const rank1 = { mean: [0, 0], cov: [[1, 0], [0, 0]] };
    const rank1b = { mean: [0, 0], cov: [[4, 0], [0, 0]] };
    expect(frechetDistance(rank1, rank1b)).toBeCloseTo(1, 10); // (1 − 2)²
    const x = gaussianRows(3, [0, 0, 0, 0, 0, 0], 1, 7); // rank ≤ 2 in 6-D
    const d = frechetDistanceDetailed(gaussianStats(x), gaussianStats(x));
    expect(Number.isFinite(d.distance)).toBe(true);
    expect(d.distance).toBeLessThan(1e-8);
  });

  it("rejects mismatched dimensions", () => {
    expect(() => frechetDistance({ mean: [0], cov: [[1]] }, { mean: [0, 0], cov: [[1, 0], [0, 1]] })).toThrow(/dimensions differ/);
    expect(() => frechetDistance({ mean: [0, 0], cov: [[1]] }, { mean: [0, 0], cov: [[1, 0], [0, 1]] })).toThrow(/2×2/);
  });
});
