/**
 * The mode-collapse experiment: MLP GANs on the 8-Gaussian ring and the 25-Gaussian grid
 * (the synthetic benchmarks of Metz et al. 2017 "Unrolled GANs", VEEGAN — Srivastava et al.
 * 2017 — and PacGAN — Lin et al. 2018), trained with and without the remedies that let the
 * discriminator look at more than one sample at a time:
 *
 *   "gan"                       the plain GAN (non-saturating loss)
 *   "minibatch-discrimination"  Salimans et al. 2016 §3.2 (lib/layers/minibatch-discrimination)
 *   "pairwise-distance"         mean L2 distance to the batch, the slides' simple variant
 *   "minibatch-stddev"          Karras et al. 2018 §3 (lib/layers/minibatch-stddev)
 *   "pacgan"                    packing m samples into one D input (lib/models/pacgan)
 *
 * Every method shares G, D's hidden layers, the loss, the optimizer and the step budget; only
 * the remedy differs. A run is reproducible from its seed alone: the seed fixes the initial
 * weights (through `reseed`), the real data stream and the latent noise (both from their own
 * seeded streams, so several runs can be interleaved without changing each other).
 *
 * Scoring uses lib/metrics' modeCoverage (the VEEGAN/PacGAN protocol: nearest mode, high quality
 * within 3 std, a mode is covered by ≥ 1 high-quality sample, reverse KL of the mode histogram).
 */
import * as tf from "@tensorflow/tfjs";
import { Mixture2D, gridMixture, ringMixture, sampleMixture2d } from "../data/toy2d";
import { minibatchDiscrimination } from "../layers/minibatch-discrimination";
import { minibatchStddev } from "../layers/minibatch-stddev";
import { pairwiseDistance } from "../layers/pairwise-distance";
import { nonSaturatingLoss } from "../losses/non-saturating";
import { ModeCoverageResult, modeCoverage } from "../metrics/mode-coverage";
import { mlpGenerator } from "../models/mlp";
import { packedInputs } from "../models/pacgan";
import { Rng, createRng } from "../random";
import { reseed } from "../setup";
import { GanTrainer, RealBatch, StepMetrics, TrainHistory, TrainerCallback } from "../train/trainer";

export type ToyDataset = "ring" | "grid";
export type ModeCollapseMethod = "gan" | "minibatch-discrimination" | "pairwise-distance" | "minibatch-stddev" | "pacgan";
export const MODE_COLLAPSE_METHODS: readonly ModeCollapseMethod[] = ["gan", "minibatch-discrimination", "pairwise-distance", "minibatch-stddev", "pacgan"];

export interface ModeCollapseConfig {
  dataset: ToyDataset;
  method: ModeCollapseMethod;
  seed: number;
  latentDim?: number; // 2
  hiddenG?: number[]; // [128, 128, 128]
  hiddenD?: number[]; // [128, 128]
  batchSize?: number; // 64 (a multiple of `packing`)
  lrG?: number; // 1e-3
  lrD?: number; // 1e-3
  /** PacGAN's packing degree m. */
  packing?: number; // 2
  /** Minibatch discrimination's B (kernels) and C (kernel length). */
  numKernels?: number; // 8
  kernelDim?: number; // 4
  /**
   * Decay both learning rates linearly to `lrFinalFraction` of their start over this many steps
   * (then hold). 0 keeps them constant. A smaller step at the end lets G sharpen its modes.
   */
  decaySteps?: number; // 0
  lrFinalFraction?: number; // 0.1
  /**
   * The networks see the data divided by this (the usual input normalization: the grid's
   * coordinates reach ±4, the ring's ±2); samples are scaled back before they are scored.
   */
  dataScale?: number; // the largest |coordinate| of the mode centers (ring 2, grid 4)
  /** The toy data (lib/data defaults: ring radius 2, std 0.02; grid spacing 2, std 0.05). */
  mixture?: Mixture2D;
}

export type ResolvedModeCollapseConfig = Required<Omit<ModeCollapseConfig, "mixture">> & { mixture: Mixture2D };

export function resolveModeCollapseConfig(config: ModeCollapseConfig): ResolvedModeCollapseConfig {
  const c = {
    latentDim: 2, hiddenG: [128, 128, 128], hiddenD: [128, 128], batchSize: 64, lrG: 1e-3, lrD: 1e-3, packing: 2, numKernels: 8, kernelDim: 4, decaySteps: 0, lrFinalFraction: 0.1,
    ...config,
  };
  const mixture = config.mixture ?? (config.dataset === "ring" ? ringMixture() : gridMixture());
  const resolved = { ...c, mixture, dataScale: config.dataScale ?? Math.max(...mixture.centers.flat().map(Math.abs)) };
  if (!MODE_COLLAPSE_METHODS.includes(resolved.method)) throw new Error(`mode collapse: unknown method "${c.method}"; use one of ${MODE_COLLAPSE_METHODS.join(", ")}`);
  if (c.method === "pacgan" && c.batchSize % c.packing !== 0) throw new Error(`mode collapse: batchSize ${c.batchSize} is not a multiple of packing ${c.packing}`);
  if (!(resolved.dataScale > 0)) throw new Error(`mode collapse: dataScale must be positive, got ${resolved.dataScale}`);
  return resolved;
}

/**
 * D for a method: the MLP discriminator (dense + LeakyReLU(0.2) hidden layers), with the
 * method's minibatch layer between the last hidden layer and the logit, or m·2 inputs for PacGAN.
 */
export function modeCollapseDiscriminator(config: ResolvedModeCollapseConfig): tf.LayersModel {
  const dataDim = config.mixture.centers[0].length;
  const input = tf.input({ shape: [config.method === "pacgan" ? dataDim * config.packing : dataDim] }); // [batch (or batch/m), d (or m·d)]
  let h: tf.SymbolicTensor = input;
  for (const units of config.hiddenD) {
    h = tf.layers.dense({ units }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.leakyReLU({ alpha: 0.2 }).apply(h) as tf.SymbolicTensor;
  }
  if (config.method === "minibatch-discrimination") h = minibatchDiscrimination({ numKernels: config.numKernels, kernelDim: config.kernelDim }).apply(h) as tf.SymbolicTensor; // [batch, A + B]
  if (config.method === "pairwise-distance") h = pairwiseDistance().apply(h) as tf.SymbolicTensor; // [batch, A + 1]
  if (config.method === "minibatch-stddev") h = minibatchStddev().apply(h) as tf.SymbolicTensor; // [batch, A + 1]
  const logit = tf.layers.dense({ units: 1 }).apply(h) as tf.SymbolicTensor; // [batch, 1]
  return tf.model({ inputs: input, outputs: logit, name: "discriminator" });
}

/** Set an Adam (or SGD) optimizer's learning rate in place; tfjs keeps it in a protected field. */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = lr;
}

/** One seeded training run of one method on one toy mixture. */
export interface ModeCollapseRun {
  config: ResolvedModeCollapseConfig;
  mixture: Mixture2D;
  trainer: GanTrainer;
  /** Real batches from the run's own seeded stream. */
  sampleReal(batchSize: number): RealBatch;
  /** One generator step (and one discriminator step). */
  step(): StepMetrics;
  /** Train `steps` more steps through the trainer (history, callbacks). */
  train(steps: number, callbacks?: TrainerCallback[]): Promise<TrainHistory>;
  /** `n` generated points in data coordinates, as a flat [x0, y0, x1, y1, ...] array (fresh latent noise). */
  samples(n: number): Float32Array;
  /** Mode coverage of `n` generated points (VEEGAN/PacGAN use 2500). */
  evaluate(n?: number): ModeCoverageResult;
  /** Free the models and the optimizers' state. */
  dispose(): void;
}

/** Build a run; re-seeds the global random stream with `config.seed` to fix the initial weights. */
export function createModeCollapseRun(config: ModeCollapseConfig): ModeCollapseRun {
  const c = resolveModeCollapseConfig(config);
  reseed(c.seed);
  const dataRng: Rng = createRng(`data-${c.seed}`);
  const noiseRng: Rng = createRng(`noise-${c.seed}`);
  const generator = mlpGenerator({ latentDim: c.latentDim, dataDim: 2, hidden: c.hiddenG });
  const discriminator = modeCollapseDiscriminator(c);
  const trainer = new GanTrainer({
    generator,
    discriminator,
    loss: nonSaturatingLoss,
    latentDim: c.latentDim,
    batchSize: c.batchSize,
    lrG: c.lrG,
    lrD: c.lrD,
    sampleLatent: (n) => tf.randomNormal([n, c.latentDim], 0, 1, "float32", noiseRng.seed()),
    discriminatorInputs: c.method === "pacgan" ? packedInputs(c.packing) : undefined,
  });
  const sampleReal = (n: number): RealBatch => {
    const x = sampleMixture2d(c.mixture, n, dataRng); // [n, 2] in data coordinates
    if (c.dataScale === 1) return { x };
    const scaled = tf.div(x, c.dataScale); // what the networks see
    x.dispose();
    return { x: scaled };
  };
  /** The schedule: set both learning rates for the optimizers' next update. */
  const applySchedule = (): void => {
    if (c.decaySteps <= 0) return;
    // The optimizers count their own updates (and a checkpoint keeps the count), so a resumed run
    // continues the schedule where it stopped.
    const frac = Math.min(1, trainer.optimizerG.iterations / c.decaySteps);
    const scale = 1 - (1 - c.lrFinalFraction) * frac;
    setLearningRate(trainer.optimizerG, c.lrG * scale);
    setLearningRate(trainer.optimizerD, c.lrD * scale);
  };
  const scheduleCallback: TrainerCallback = () => applySchedule();
  const samples = (n: number): Float32Array => {
    const x = trainer.generate(n); // [n, 2] in network coordinates
    const flat = x.dataSync() as Float32Array;
    x.dispose();
    if (c.dataScale !== 1) for (let i = 0; i < flat.length; i++) flat[i] *= c.dataScale;
    return flat;
  };
  return {
    config: c,
    mixture: c.mixture,
    trainer,
    sampleReal,
    step: () => {
      applySchedule();
      return trainer.step(sampleReal);
    },
    train: (steps, callbacks = []) => {
      applySchedule();
      return trainer.train({ steps, sampleReal, callbacks: [scheduleCallback, ...callbacks] });
    },
    samples,
    evaluate: (n = 2500) => modeCoverage(samples(n), c.mixture),
    dispose: () => {
      trainer.dispose();
      generator.dispose();
      discriminator.dispose();
    },
  };
}

/** The seeds of the table (VEEGAN averages five runs, PacGAN ten; we can afford three on a CPU). */
export const MODE_COLLAPSE_SEEDS = [1, 2, 3];

/** The settings of a table run that are not a method or a seed. */
export type ModeCollapseSettings = Omit<ModeCollapseConfig, "dataset" | "method" | "seed">;

/**
 * Shared settings of the table's runs, per dataset; the learning rates decay linearly to a tenth
 * over the whole run.
 *
 * - ring: lib/experiments/mode-collapse's defaults (G 2-128-128-128-2, D 2-128-128-1, batch 64,
 *   Adam 1e-3, β1 = 0.5, data scaled to ±1).
 * - grid: wider networks (G 2-256-256-256-2, D 2-256-256-1) that see the raw coordinates (±4).
 *   Its modes are 0.05 wide and 2 apart; samples land near the right modes long before they land
 *   within 3 std of them, and in raw coordinates both networks resolve the small scale better.
 *   Measured on minibatch discrimination, seed 1, 10,000 steps: data scaled to ±1 with 256 units
 *   gave 23 modes and 30.6% high-quality samples, raw coordinates with 128 units 17 and 43.7%,
 *   raw coordinates with 256 units 24 and 62.4% (seeds 2 and 3: 25 and 46.9%, 23 and 63.7%).
 *   The shipped run (all methods in lockstep, 57 minutes on 2 cores) gave minibatch
 *   discrimination 24.0 ± 1.4 modes and 59.8 ± 12.9% high quality over the three seeds. Also
 *   tried on seed 2: holding the learning rate at its final tenth for 6,000 more steps, 59.1% →
 *   64.8% at 14,000 steps (63.3% at 16,000); batch 128, no better; decay to a hundredth, 33.5%;
 *   data scaled by 1/2 or 1/4, worse; an exponential average of G (0.999), 47% against 62%.
 */
export const MODE_COLLAPSE_SETTINGS: Record<ToyDataset, ModeCollapseSettings> = {
  ring: { lrFinalFraction: 0.1 },
  grid: { lrFinalFraction: 0.1, dataScale: 1, hiddenG: [256, 256, 256], hiddenD: [256, 256] },
};

/** Steps per run: the grid's 25 modes need longer than the ring's 8. */
export const MODE_COLLAPSE_STEPS: Record<ToyDataset, number> = { ring: 3000, grid: 10000 };

/**
 * The full configuration of one run of the table: what the recipes train and the lesson loads.
 * `settings` and `steps` default to the table's; the learning rates decay over `steps`.
 */
export function modeCollapseTableConfig(
  dataset: ToyDataset,
  method: ModeCollapseMethod,
  seed: number,
  settings: ModeCollapseSettings = MODE_COLLAPSE_SETTINGS[dataset],
  steps: number = MODE_COLLAPSE_STEPS[dataset],
): ResolvedModeCollapseConfig {
  return resolveModeCollapseConfig({ decaySteps: steps, ...settings, dataset, method, seed });
}

/** The model name of a run in the checkpoint, e.g. "minibatch-discrimination-s2". */
export function modeCollapseRunName(method: ModeCollapseMethod, seed: number): string {
  return `${method}-s${seed}`;
}

/** The outcome of one run, as stored in a table. */
export interface ModeCollapseResult {
  dataset: ToyDataset;
  method: ModeCollapseMethod;
  seed: number;
  steps: number;
  modesCovered: number;
  nModes: number;
  highQualityFraction: number;
  reverseKl: number;
  histogram: number[];
}

export function toResult(run: ModeCollapseRun, coverage: ModeCoverageResult): ModeCollapseResult {
  return {
    dataset: run.config.dataset,
    method: run.config.method,
    seed: run.config.seed,
    steps: run.trainer.stepCount,
    modesCovered: coverage.modesCovered,
    nModes: coverage.nModes,
    highQualityFraction: coverage.highQualityFraction,
    reverseKl: coverage.reverseKl,
    histogram: coverage.histogram,
  };
}

/** Train one run for `steps` and score it; the run is disposed afterwards. */
export async function trainAndScore(config: ModeCollapseConfig & { steps: number; evalSamples?: number }): Promise<ModeCollapseResult> {
  const run = createModeCollapseRun(config);
  try {
    await run.train(config.steps);
    return toResult(run, run.evaluate(config.evalSamples ?? 2500));
  } finally {
    run.dispose();
  }
}

export interface MeanStd {
  mean: number;
  std: number; // population std over seeds (0 for one seed)
  n: number;
}

export function meanStd(values: number[]): MeanStd {
  const finite = values.filter(Number.isFinite);
  const n = finite.length;
  if (n === 0) return { mean: NaN, std: NaN, n: 0 };
  const mean = finite.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(finite.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
  return { mean, std, n };
}

/** One row of the table: a method on a dataset, over seeds. */
export interface ModeCollapseSummary {
  dataset: ToyDataset;
  method: ModeCollapseMethod;
  seeds: number[];
  modesCovered: MeanStd;
  highQualityPercent: MeanStd;
  reverseKl: MeanStd;
}

/** Group results by (dataset, method) and average over seeds (in the order first seen). */
export function summarizeModeCollapse(results: ModeCollapseResult[]): ModeCollapseSummary[] {
  const groups = new Map<string, ModeCollapseResult[]>();
  for (const r of results) {
    const key = `${r.dataset}/${r.method}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(r);
  }
  return [...groups.values()].map((rs) => ({
    dataset: rs[0].dataset,
    method: rs[0].method,
    seeds: rs.map((r) => r.seed),
    modesCovered: meanStd(rs.map((r) => r.modesCovered)),
    highQualityPercent: meanStd(rs.map((r) => 100 * r.highQualityFraction)),
    reverseKl: meanStd(rs.map((r) => r.reverseKl)),
  }));
}

/** "7.4 ± 0.5" */
export function formatMeanStd(m: MeanStd, digits = 1): string {
  return `${m.mean.toFixed(digits)} ± ${m.std.toFixed(digits)}`;
}

/** A markdown table of summaries: one row per method, modes / high quality / reverse KL per dataset. */
export function modeCollapseTable(summaries: ModeCollapseSummary[]): string {
  const datasets = [...new Set(summaries.map((s) => s.dataset))];
  const methods = [...new Set(summaries.map((s) => s.method))];
  const head = `| method | ${datasets.map((d) => `${d}: modes | ${d}: high quality % | ${d}: reverse KL`).join(" | ")} |`;
  const rule = `|---|${datasets.map(() => "---|---|---").join("|")}|`;
  const rows = methods.map((m) => {
    const cells = datasets.map((d) => {
      const s = summaries.find((x) => x.method === m && x.dataset === d);
      return s ? `${formatMeanStd(s.modesCovered)} | ${formatMeanStd(s.highQualityPercent)} | ${formatMeanStd(s.reverseKl, 2)}` : "– | – | –";
    });
    return `| ${m} | ${cells.join(" | ")} |`;
  });
  return [head, rule, ...rows].join("\n");
}

