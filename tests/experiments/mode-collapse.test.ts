import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import {
  MODE_COLLAPSE_METHODS,
  MODE_COLLAPSE_STEPS,
  createModeCollapseRun,
  modeCollapseTableConfig,
  meanStd,
  modeCollapseDiscriminator,
  modeCollapseTable,
  resolveModeCollapseConfig,
  setLearningRate,
  summarizeModeCollapse,
  ModeCollapseResult,
} from "../../lib/experiments/mode-collapse";
import { MinibatchDiscrimination } from "../../lib/layers/minibatch-discrimination";
import { MinibatchStddev } from "../../lib/layers/minibatch-stddev";
import { PairwiseDistance } from "../../lib/layers/pairwise-distance";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const small = { hiddenG: [8], hiddenD: [8], batchSize: 16, latentDim: 2 };

describe("mode-collapse configs and discriminators", () => {
  it("validates the method and PacGAN's batch size", () => {
    expect(() => resolveModeCollapseConfig({ dataset: "ring", method: "nope" as any, seed: 1 })).toThrow(/unknown method/);
    expect(() => resolveModeCollapseConfig({ dataset: "ring", method: "pacgan", seed: 1, batchSize: 15, packing: 2 })).toThrow(/multiple of packing/);
    expect(resolveModeCollapseConfig({ dataset: "grid", method: "gan", seed: 1 }).mixture.centers).toHaveLength(25);
  });

  it("gives the table's runs their dataset's settings: the ring scaled to ±1, the grid raw and wider", () => {
    const ring = modeCollapseTableConfig("ring", "minibatch-discrimination", 2);
    expect([ring.dataScale, ring.hiddenG, ring.hiddenD, ring.decaySteps, ring.lrFinalFraction, ring.seed]).toEqual([2, [128, 128, 128], [128, 128], MODE_COLLAPSE_STEPS.ring, 0.1, 2]);
    const grid = modeCollapseTableConfig("grid", "pacgan", 3);
    expect([grid.dataScale, grid.hiddenG, grid.hiddenD, grid.decaySteps, grid.method]).toEqual([1, [256, 256, 256], [256, 256], MODE_COLLAPSE_STEPS.grid, "pacgan"]);
    expect(grid.mixture.centers).toHaveLength(25);
  });

  it("puts each remedy's layer (or the packed input) into D, and D scores a batch", () => {
    const layerOf = { "minibatch-discrimination": MinibatchDiscrimination, "pairwise-distance": PairwiseDistance, "minibatch-stddev": MinibatchStddev } as const;
    for (const method of MODE_COLLAPSE_METHODS) {
      const c = resolveModeCollapseConfig({ dataset: "ring", method, seed: 1, ...small, packing: 4 });
      const D = modeCollapseDiscriminator(c);
      expect(D.inputs[0].shape).toEqual([null, method === "pacgan" ? 8 : 2]);
      const cls = (layerOf as Record<string, any>)[method];
      expect(D.layers.some((l) => cls && l instanceof cls)).toBe(Boolean(cls));
      const out = D.predict(tf.zeros([6, method === "pacgan" ? 8 : 2])) as tf.Tensor;
      expect(out.shape).toEqual([6, 1]);
      D.dispose();
    }
  });
});

describe("mode-collapse runs", () => {
  it("is reproducible from its seed, and seeds differ", async () => {
    const samplesAfter = async (seed: number) => {
      const run = createModeCollapseRun({ dataset: "ring", method: "minibatch-discrimination", seed, ...small });
      await run.train(3);
      const s = run.samples(5);
      run.dispose();
      return Array.from(s);
    };
    const a = await samplesAfter(7);
    // Interleave an unrelated run: it must not change seed 7's stream.
    const other = createModeCollapseRun({ dataset: "grid", method: "gan", seed: 99, ...small });
    other.step();
    other.dispose();
    const b = await samplesAfter(7);
    const c = await samplesAfter(8);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it("leaks no tensors per step for any method", () => {
    for (const method of MODE_COLLAPSE_METHODS) {
      const run = createModeCollapseRun({ dataset: "ring", method, seed: 1, ...small });
      run.step(); // Adam's slots
      const before = tf.memory().numTensors;
      const m = run.step();
      expect(tf.memory().numTensors).toBe(before);
      expect(Number.isFinite(m.lossD) && Number.isFinite(m.lossG)).toBe(true);
      run.dispose();
    }
  });

  it("decays the learning rates linearly with the optimizer's own step count", async () => {
    const run = createModeCollapseRun({ dataset: "ring", method: "gan", seed: 1, ...small, lrG: 1e-3, lrD: 2e-3, decaySteps: 4, lrFinalFraction: 0.1 });
    const lrOf = (o: tf.Optimizer) => (o as unknown as { learningRate: number }).learningRate;
    await run.train(2); // schedule applied after each step: next update at iteration 2
    expect(lrOf(run.trainer.optimizerG)).toBeCloseTo(1e-3 * (1 - 0.9 * 0.5), 10);
    expect(lrOf(run.trainer.optimizerD)).toBeCloseTo(2e-3 * (1 - 0.9 * 0.5), 10);
    run.step();
    run.step();
    run.step();
    expect(lrOf(run.trainer.optimizerG)).toBeCloseTo(1e-4, 10);
    expect(run.trainer.history.step).toHaveLength(2);
    setLearningRate(run.trainer.optimizerG, 0.5);
    expect(lrOf(run.trainer.optimizerG)).toBe(0.5);
    run.dispose();
  });

  it("learns: a plain GAN's samples move from the origin onto the ring", async () => {
    const run = createModeCollapseRun({ dataset: "ring", method: "gan", seed: 3, hiddenG: [16, 16], hiddenD: [16, 16], batchSize: 32, latentDim: 2, lrG: 2e-3, lrD: 2e-3 });
    const radius = () => {
      const p = run.samples(500);
      let s = 0;
      for (let i = 0; i < p.length; i += 2) s += Math.hypot(p[i], p[i + 1]);
      return s / (p.length / 2);
    };
    const before = radius();
    await run.train(150);
    const after = radius();
    expect(Math.abs(after - 2)).toBeLessThan(Math.abs(before - 2) / 2);
    const c = run.evaluate(500);
    expect(c.nSamples).toBe(500);
    expect(c.nModes).toBe(8);
    run.dispose();
  });
});

describe("mode-collapse summaries", () => {
  const r = (method: any, seed: number, modes: number, hq: number): ModeCollapseResult => ({ dataset: "ring", method, seed, steps: 10, modesCovered: modes, nModes: 8, highQualityFraction: hq, reverseKl: 0.1 * modes, histogram: [] });

  it("averages over seeds with the population std", () => {
    expect(meanStd([6, 8])).toEqual({ mean: 7, std: 1, n: 2 });
    expect(meanStd([NaN, 4]).mean).toBe(4);
    expect(Number.isNaN(meanStd([]).mean)).toBe(true);
    const s = summarizeModeCollapse([r("gan", 1, 2, 0.9), r("gan", 2, 4, 0.7), r("pacgan", 1, 8, 0.8)]);
    expect(s).toHaveLength(2);
    expect(s[0].method).toBe("gan");
    expect(s[0].modesCovered.mean).toBe(3);
    expect(s[0].highQualityPercent.mean).toBeCloseTo(80, 10);
    expect(s[0].seeds).toEqual([1, 2]);
    const table = modeCollapseTable(s);
    expect(table.split("\n")).toHaveLength(4);
    expect(table).toContain("| gan | 3.0 ± 1.0 | 80.0 ± 10.0 |");
  });
});
