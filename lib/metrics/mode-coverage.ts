/**
 * Mode coverage on mixtures with known modes — the synthetic-data metrics of VEEGAN (Srivastava,
 * Valkov, Russell, Gutmann & Sutton 2017, NeurIPS, §5 "Synthetic dataset") and PacGAN (Lin,
 * Khetan, Fanti & Oh 2018, NeurIPS, §5), and the class-histogram version used on (stacked) MNIST.
 *
 * Definitions, as found in the sources (see MODE_COVERAGE_PROTOCOLS for the citations):
 *  - every sample is assigned to its nearest mode center (distance measured in units of that
 *    mode's standard deviation, as PacGAN's MetricLogger does; for equal isotropic stds this is
 *    plain Euclidean nearest);
 *  - a sample is "high quality" if it lies within 3 standard deviations of that center;
 *  - a mode is "captured"/"covered" if at least ONE high-quality sample is assigned to it
 *    (VEEGAN: "the number of mixture components whose mean is nearest to at least one high
 *    quality sample"; PacGAN's code counts modes with a non-zero high-quality count);
 *  - reverse KL = KL(p̂ ‖ u) between the histogram p̂ of high-quality samples over the modes and
 *    the uniform distribution u over the modes (terms with p̂ = 0 contribute 0). PacGAN's stacked
 *    MNIST code computes exactly this KL(p̂ ‖ uniform) for its "KL" column; its 2-D MetricLogger
 *    additionally logs the Jensen–Shannon divergence to uniform, returned here as `jsdToUniform`.
 * The papers' published table numbers are deliberately NOT included: we could not retrieve the
 * tables' text to verify them, and the course does not quote numbers it cannot check.
 */
import { Labels, Points, toLabels, toRows } from "./points";

/** Mode centers with their std (isotropic per mode). `data.Mixture2D` satisfies this. */
export interface ModeSet {
  centers: ArrayLike<number>[];
  /** One std for every mode, or one per mode. */
  std: number | ArrayLike<number>;
}

export interface ModeCoverageConfig {
  /** A sample is high quality if it is within nStd standard deviations of its nearest mode. Default 3. */
  nStd?: number;
  /** High-quality samples a mode needs to count as covered. Default 1 (VEEGAN, PacGAN). */
  minSamplesPerMode?: number;
}

export interface ModeCoverageResult {
  /** Modes with ≥ minSamplesPerMode high-quality samples. */
  modesCovered: number;
  nModes: number;
  /** Fraction of all samples that are high quality. */
  highQualityFraction: number;
  /** KL(p̂ ‖ uniform) of the high-quality histogram; NaN if no sample is high quality. */
  reverseKl: number;
  /** Jensen–Shannon divergence (natural log) of p̂ to uniform; NaN if no sample is high quality. */
  jsdToUniform: number;
  /** High-quality samples per mode. */
  histogram: number[];
  nSamples: number;
}

export interface ClassCoverageConfig {
  /** Samples a class needs to count as covered. Default 1 (PacGAN's stacked-MNIST code). */
  minCount?: number;
}

export interface ClassCoverageResult {
  /** Samples per class. */
  histogram: number[];
  /** Classes with ≥ minCount samples. */
  classesCovered: number;
  /** KL(p̂ ‖ uniform) of the class histogram. */
  klToUniform: number;
}

/** The evaluation protocols of the two papers, with where each number comes from. */
export const MODE_COVERAGE_PROTOCOLS = {
  veegan: {
    citation: "Srivastava et al. 2017, VEEGAN: Reducing Mode Collapse in GANs using Implicit Variational Learning, NeurIPS, §5.1 (synthetic datasets)",
    source: "paper text as reproduced on the authors' project page https://akashgit.github.io/VEEGAN/ (repo akashgit/VEEGAN, index.md)",
    highQualityNStd: 3, // "within three standard deviations of the nearest mode, for the 2D dataset"
    minSamplesPerMode: 1, // "nearest to at least one high quality sample"
    samplesPerEvaluation: 2500, // "We generate 2500 samples from each trained model"
    runs: 5, // "average the numbers over five runs"
  },
  pacgan: {
    citation: "Lin et al. 2018, PacGAN: The Power of Two Samples in Generative Adversarial Networks, NeurIPS",
    source:
      "released code github.com/fjxmlzn/PacGAN: synthetic_data_experiments/PacGAN/pacgan/extensions.py (MetricLogger, dis_thre=3, " +
      "mode coverage = modes with a non-zero high-quality count) and 2DRing_/2DGrid_GAN&PacGAN/config.py",
    highQualityNStd: 3,
    minSamplesPerMode: 1,
    samplesPerEvaluation: 2500, // num_log_figure_sample in config.py
    runsPerSetting: 10, // test_config "run": range(0, 10)
    ring: { modes: 8, radius: 1, std: 0.01 }, // means (cos 2πk/8, sin 2πk/8), variances 0.01² I
    grid: { modes: 25, centers: "{-4,-2,0,2,4}²", std: 0.05 }, // variances 0.05² I
  },
} as const;

/** Σ p log(p / q) with 0 log 0 = 0. */
function kl(p: number[], q: number[]): number {
  return p.reduce((s, pi, i) => (pi > 0 ? s + pi * Math.log(pi / q[i]) : s), 0);
}

/** KL(p̂ ‖ uniform) and JSD(p̂, uniform) of a histogram of counts; NaN for an empty histogram. */
function divergencesToUniform(counts: number[]): { kl: number; jsd: number } {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return { kl: NaN, jsd: NaN };
  const p = counts.map((c) => c / total);
  const u = counts.map(() => 1 / counts.length);
  const m = p.map((pi, i) => (pi + u[i]) / 2);
  return { kl: kl(p, u), jsd: 0.5 * kl(p, m) + 0.5 * kl(u, m) };
}

function sampleRows(samples: Points | Float32Array | Float64Array, dim: number): number[][] {
  if (samples instanceof Float32Array || samples instanceof Float64Array) {
    if (samples.length % dim !== 0) throw new Error(`modeCoverage: flat array length ${samples.length} is not a multiple of ${dim}`);
    const rows: number[][] = [];
    for (let i = 0; i < samples.length; i += dim) rows.push(Array.from(samples.subarray(i, i + dim)));
    return rows;
  }
  return toRows(samples as Points, "modeCoverage");
}

/**
 * Score generated samples against known modes (VEEGAN/PacGAN protocol). `samples` is [n, d] rows,
 * a tensor, or a flat [x0, y0, x1, y1, ...] array (as `data.sampleMixture2dArray` returns).
 */
export function modeCoverage(
  samples: Points | Float32Array | Float64Array,
  modes: ModeSet,
  config: ModeCoverageConfig = {},
): ModeCoverageResult {
  const nStd = config.nStd ?? 3;
  const minSamples = config.minSamplesPerMode ?? 1;
  const k = modes.centers.length;
  if (k === 0) throw new Error("modeCoverage: no modes");
  const dim = modes.centers[0].length;
  const stds = typeof modes.std === "number" ? new Array<number>(k).fill(modes.std) : Array.from(modes.std);
  if (stds.length !== k || stds.some((s) => !(s > 0))) throw new Error("modeCoverage: need one positive std (or one per mode)");
  const rows = sampleRows(samples, dim);
  if (rows[0].length !== dim) throw new Error(`modeCoverage: samples have ${rows[0].length} dims, modes ${dim}`);

  const histogram = new Array<number>(k).fill(0);
  let highQuality = 0;
  for (const x of rows) {
    let best = -1;
    let bestDist = Infinity;
    for (let j = 0; j < k; j++) {
      const c = modes.centers[j];
      let sq = 0;
      for (let t = 0; t < dim; t++) sq += (x[t] - c[t]) ** 2;
      const dist = Math.sqrt(sq) / stds[j]; // in units of the mode's std
      if (dist < bestDist) {
        bestDist = dist;
        best = j;
      }
    }
    if (bestDist < nStd) {
      histogram[best]++;
      highQuality++;
    }
  }
  const { kl: reverseKl, jsd } = divergencesToUniform(histogram);
  return {
    modesCovered: histogram.filter((c) => c >= minSamples).length,
    nModes: k,
    highQualityFraction: highQuality / rows.length,
    reverseKl,
    jsdToUniform: jsd,
    histogram,
    nSamples: rows.length,
  };
}

/**
 * Class coverage of generated samples labelled by a reference classifier (e.g. MNIST digits):
 * histogram, number of classes present, and KL(p̂ ‖ uniform) — the "modes" and "KL" columns of
 * the stacked-MNIST experiments of VEEGAN and PacGAN, for plain MNIST.
 */
export function classCoverage(predictedLabels: Labels, nClasses: number, config: ClassCoverageConfig = {}): ClassCoverageResult {
  const labels = toLabels(predictedLabels, "classCoverage");
  if (labels.length === 0) throw new Error("classCoverage: no labels");
  const minCount = config.minCount ?? 1;
  const histogram = new Array<number>(nClasses).fill(0);
  for (const y of labels) {
    if (y >= nClasses) throw new Error(`classCoverage: label ${y} is out of range [0, ${nClasses})`);
    histogram[y]++;
  }
  return {
    histogram,
    classesCovered: histogram.filter((c) => c >= minCount).length,
    klToUniform: divergencesToUniform(histogram).kl,
  };
}

