import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { MODE_COVERAGE_PROTOCOLS, classCoverage, modeCoverage } from "../../lib/metrics/mode-coverage";
import { createRng } from "../../lib/random";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

// Same geometry as PacGAN's released configs (ring: radius 1, std 0.01; grid: {-4..4 step 2}², std 0.05).
const ring = {
  centers: Array.from({ length: 8 }, (_, k) => [Math.cos((2 * Math.PI * k) / 8), Math.sin((2 * Math.PI * k) / 8)]),
  std: 0.01,
};
const grid = {
  centers: [-4, -2, 0, 2, 4].flatMap((a) => [-4, -2, 0, 2, 4].map((b) => [a, b])),
  std: 0.05,
};

/** n samples from the given modes (chosen uniformly from `use`), seeded. */
function sample(modes: { centers: number[][]; std: number }, n: number, seed: number, use = modes.centers.map((_, i) => i)) {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const c = modes.centers[use[rng.int(use.length)]];
    return c.map((v) => v + modes.std * rng.normal());
  });
}

describe("modeCoverage (VEEGAN / PacGAN protocol)", () => {
  it("samples from the true ring cover all 8 modes; P(within 3σ) = 1 − e^{−4.5} in 2-D", () => {
    const r = modeCoverage(sample(ring, 2500, 1), ring);
    expect(r.modesCovered).toBe(8);
    expect(r.nModes).toBe(8);
    expect(r.nSamples).toBe(2500);
    expect(Math.abs(r.highQualityFraction - (1 - Math.exp(-4.5)))).toBeLessThan(0.01);
    expect(r.reverseKl).toBeGreaterThanOrEqual(0);
    expect(r.reverseKl).toBeLessThan(0.01);
    expect(r.histogram.reduce((a, b) => a + b, 0)).toBe(Math.round(r.highQualityFraction * 2500));
  });

  it("a generator collapsed onto 3 of 25 grid modes: 3 covered, reverse KL = log(25/3)", () => {
    // Equal thirds so the histogram is exactly uniform over the 3 modes.
    const use = [0, 12, 24];
    const pts = use.flatMap((m) => sample(grid, 300, 10 + m, [m]));
    const r = modeCoverage(pts, grid);
    expect(r.modesCovered).toBe(3);
    const hq = r.histogram.filter((c) => c > 0);
    const p = hq.map((c) => c / hq.reduce((a, b) => a + b, 0));
    const expected = p.reduce((s, pi) => s + pi * Math.log(pi * 25), 0); // KL(p̂ ‖ uniform over 25)
    expect(r.reverseKl).toBeCloseTo(expected, 10);
    expect(Math.abs(r.reverseKl - Math.log(25 / 3))).toBeLessThan(0.01);
  });

  it("collapse to one mode: reverse KL = log K and JSD to uniform matches its closed form", () => {
    const r = modeCoverage(sample(ring, 500, 2, [5]), ring);
    expect(r.modesCovered).toBe(1);
    expect(r.histogram[5]).toBeGreaterThan(480);
    expect(r.reverseKl).toBeCloseTo(Math.log(8), 10);
    // p = δ₅, u uniform, m = (p + u)/2: JSD = ½ KL(p‖m) + ½ KL(u‖m).
    const m5 = (1 + 1 / 8) / 2;
    const mo = 1 / 16;
    const jsd = 0.5 * Math.log(1 / m5) + 0.5 * ((1 / 8) * Math.log(1 / 8 / m5) + (7 / 8) * Math.log(1 / 8 / mo));
    expect(r.jsdToUniform).toBeCloseTo(jsd, 10);
  });

  it("hand-placed points: the 3σ boundary, nearest-mode assignment and minSamplesPerMode", () => {
    const modes = { centers: [[0, 0], [10, 0]], std: 1 };
    const pts = [
      [2.9, 0], // mode 0, inside 3σ
      [0, -3.1], // mode 0, outside → not high quality
      [7.5, 0], // nearest mode 1 (distance 2.5)
      [5.5, 0], // nearest mode 1 but 4.5σ away → not high quality
      [-1, 1], // mode 0
    ];
    const r = modeCoverage(pts, modes);
    expect(r.histogram).toEqual([2, 1]);
    expect(r.highQualityFraction).toBeCloseTo(3 / 5, 12);
    expect(r.modesCovered).toBe(2);
    expect(modeCoverage(pts, modes, { minSamplesPerMode: 2 }).modesCovered).toBe(1);
    expect(modeCoverage(pts, modes, { nStd: 5 }).histogram).toEqual([3, 2]);
  });

  it("per-mode stds: the distance is measured in each mode's own std", () => {
    const modes = { centers: [[0, 0], [4, 0]], std: [0.5, 2] };
    // x = 1.9: 3.8σ from mode 0, 1.05σ from mode 1 → mode 1, high quality.
    expect(modeCoverage([[1.9, 0]], modes).histogram).toEqual([0, 1]);
  });

  it("no high-quality sample: nothing covered, KL undefined (NaN)", () => {
    const r = modeCoverage([[100, 100], [50, -50]], grid);
    expect(r.modesCovered).toBe(0);
    expect(r.highQualityFraction).toBe(0);
    expect(Number.isNaN(r.reverseKl)).toBe(true);
  });

  it("accepts a tensor or a flat [x0, y0, x1, y1, ...] array, with the same result", () => {
    const pts = sample(grid, 400, 3);
    const flat = new Float32Array(pts.flat());
    const t = tf.tensor2d(pts);
    const before = tf.memory().numTensors;
    const a = modeCoverage(t, grid);
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
    const b = modeCoverage(flat, grid);
    const c = modeCoverage(pts, grid);
    expect(a.histogram).toEqual(c.histogram);
    expect(b.histogram).toEqual(c.histogram);
  });

  it("documents the protocol found in the sources (3σ, ≥ 1 sample, 2500 samples)", () => {
    for (const p of [MODE_COVERAGE_PROTOCOLS.veegan, MODE_COVERAGE_PROTOCOLS.pacgan]) {
      expect(p.highQualityNStd).toBe(3);
      expect(p.minSamplesPerMode).toBe(1);
      expect(p.samplesPerEvaluation).toBe(2500);
    }
  });
});

describe("classCoverage", () => {
  it("balanced labels: all classes covered, KL to uniform 0", () => {
    const r = classCoverage(Array.from({ length: 100 }, (_, i) => i % 10), 10);
    expect(r.classesCovered).toBe(10);
    expect(r.histogram).toEqual(new Array(10).fill(10));
    expect(r.klToUniform).toBeCloseTo(0, 12);
  });

  it("collapsed to one digit: 1 class, KL = log 10; minCount raises the bar", () => {
    const labels = [...new Array(99).fill(7), 2];
    const r = classCoverage(Int32Array.from(labels), 10);
    expect(r.classesCovered).toBe(2);
    expect(r.histogram[7]).toBe(99);
    expect(r.klToUniform).toBeCloseTo(0.99 * Math.log(9.9) + 0.01 * Math.log(0.1), 10);
    expect(classCoverage(labels, 10, { minCount: 2 }).classesCovered).toBe(1);
    expect(classCoverage(new Array(20).fill(3), 10).klToUniform).toBeCloseTo(Math.log(10), 12);
  });

  it("accepts a tensor of labels and rejects out-of-range ones", () => {
    const t = tf.tensor1d([0, 1, 1, 2], "int32");
    expect(classCoverage(t, 3).histogram).toEqual([1, 2, 1]);
    t.dispose();
    expect(() => classCoverage([0, 10], 10)).toThrow(/out of range/);
    expect(() => classCoverage([0, 1.5], 10)).toThrow(/integers/);
  });
});
