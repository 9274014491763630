import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { gridMixture, ringMixture, sampleMixture2dArray, sampleSpiral } from "../../lib/data/toy2d";
import { mixture1d, mixturePdf, sampleMixtureArray } from "../../lib/data/mixture1d";
import { batchSampler } from "../../lib/data/batches";
import { createRng } from "../../lib/random";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("2-D mixtures", () => {
  it("ring has 8 centers at radius 2; grid has 25 centers on {-4..4}", () => {
    const ring = ringMixture();
    expect(ring.centers).toHaveLength(8);
    ring.centers.forEach(([x, y]) => expect(Math.hypot(x, y)).toBeCloseTo(2, 10));
    const grid = gridMixture();
    expect(grid.centers).toHaveLength(25);
    expect(new Set(grid.centers.map(([x]) => x))).toEqual(new Set([-4, -2, 0, 2, 4]));
  });

  it("samples lie near a center and cover every mode; the same seed repeats", () => {
    const ring = ringMixture();
    const pts = sampleMixture2dArray(ring, 4000, createRng(1));
    const hits = new Array(8).fill(0);
    for (let i = 0; i < 4000; i++) {
      const d = ring.centers.map(([cx, cy]) => Math.hypot(pts[2 * i] - cx, pts[2 * i + 1] - cy));
      const k = d.indexOf(Math.min(...d));
      expect(d[k]).toBeLessThan(6 * ring.std);
      hits[k]++;
    }
    hits.forEach((h) => expect(h).toBeGreaterThan(400));
    expect(Array.from(sampleMixture2dArray(ring, 10, createRng(1)))).toEqual(Array.from(pts.slice(0, 20)));
  });

  it("spiral has the requested shape", () => {
    const s = sampleSpiral(100, {}, createRng(0));
    expect(s.shape).toEqual([100, 2]);
    s.dispose();
  });
});

describe("1-D mixtures", () => {
  it("density integrates to 1 and samples match the mean", () => {
    const m = mixture1d([-2, 3], [0.5, 1], [1, 3]);
    let integral = 0;
    for (let x = -10; x < 10; x += 0.001) integral += mixturePdf(m, x) * 0.001;
    expect(integral).toBeCloseTo(1, 5);
    const s = sampleMixtureArray(m, 20000, createRng(3));
    const mean = s.reduce((a, b) => a + b, 0) / s.length;
    expect(mean).toBeCloseTo(0.25 * -2 + 0.75 * 3, 1);
  });
  it("rejects bad parameters", () => {
    expect(() => mixture1d([0], [0])).toThrow(/positive/);
    expect(() => mixture1d([0, 1], [1])).toThrow(/as many stds as means/);
  });
});

describe("batchSampler", () => {
  it("walks a seeded permutation: one epoch visits every example once", () => {
    const x = tf.range(0, 10).reshape([10, 1]);
    const labels = tf.range(0, 10, 1, "int32") as tf.Tensor1D;
    const sample = batchSampler(x, labels, createRng(0));
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      const b = sample(2);
      expect(Array.from(b.x.dataSync())).toEqual(Array.from(b.labels!.dataSync()));
      seen.push(...Array.from(b.labels!.dataSync()));
      tf.dispose([b.x, b.labels!]);
    }
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
    expect(() => sample(11)).toThrow(/batch of 11 from only 10/);
    tf.dispose([x, labels]);
  });
});
