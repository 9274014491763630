/**
 * Kernel Maximum Mean Discrepancy (Gretton, Borgwardt, Rasch, Schölkopf & Smola 2012, "A Kernel
 * Two-Sample Test", JMLR 13; Lemma 6 for the unbiased and eq. 5 for the biased estimator):
 *
 *   MMD²(P, Q) = E k(x, x') + E k(y, y') − 2 E k(x, y),   x, x' ~ P,  y, y' ~ Q
 *
 * with the Gaussian RBF kernel k(x, y) = exp(−‖x − y‖² / (2σ²)). For a characteristic kernel like
 * this one MMD² = 0 iff P = Q.
 *   unbiased (U-statistic): drops the i = j terms of the two within-set sums; its mean is exactly
 *     MMD², so it is ≈ 0 (and can be negative) when both samples come from the same distribution.
 *   biased (V-statistic): keeps them; always ≥ 0 but biased upward by O(1/m).
 * Bandwidth: σ given, several σ (sum of kernels, as in MMD-GAN, Li et al. 2017), or by default the
 * median heuristic of Gretton et al. 2012: σ = median pairwise distance of the pooled sample.
 */
import * as tf from "@tensorflow/tfjs";
import { centerTogether, forEachDistanceChunk, pairwiseSqDistances } from "./distances";
import { Points, withTensor } from "./points";

export type MmdEstimator = "unbiased" | "biased";

export interface MmdConfig {
  /** "unbiased" (default) or "biased". */
  estimator?: MmdEstimator;
  /** RBF bandwidth σ, or several (kernels are summed). Default: median heuristic. */
  bandwidth?: number | number[];
  /** Max pooled points used for the median heuristic (strided subsample). Default 1000. */
  medianSubsample?: number;
  /** Rows per distance block. Default 512. */
  chunkSize?: number;
}

export interface MmdResult {
  mmd2: number;
  /** The bandwidth(s) σ used. */
  bandwidths: number[];
  estimator: MmdEstimator;
}

/** Median of the pairwise distances (i < j) of the pooled sample: the median-heuristic σ. */
export function medianHeuristicBandwidth(x: Points, y: Points, maxPoints = 1000): number {
  return withTensor(x, "medianHeuristicBandwidth(x)", (tx) =>
    withTensor(y, "medianHeuristicBandwidth(y)", (ty) => {
      const dists = tf.tidy(() => {
        const raw = tf.concat([tx, ty], 0) as tf.Tensor2D; // [m + n, d]
        const pooled = tf.sub(raw, tf.mean(raw, 0, true)) as tf.Tensor2D; // centred: less float32 cancellation
        const total = pooled.shape[0];
        const stride = Math.max(1, Math.ceil(total / maxPoints));
        const idx = tf.range(0, total, stride, "int32");
        const sub = tf.gather(pooled, idx) as tf.Tensor2D;
        return pairwiseSqDistances(sub, sub);
      });
      const [p] = dists.shape;
      const data = dists.dataSync();
      dists.dispose();
      const upper: number[] = [];
      for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) upper.push(Math.sqrt(data[i * p + j]));
      if (upper.length === 0) throw new Error("medianHeuristicBandwidth: need at least 2 points");
      upper.sort((a, b) => a - b);
      const mid = upper.length >> 1;
      const sigma = upper.length % 2 ? upper[mid] : (upper[mid - 1] + upper[mid]) / 2;
      if (!(sigma > 0)) throw new Error("medianHeuristicBandwidth: median distance is 0 (duplicate points); pass a bandwidth");
      return sigma;
    }),
  );
}

/** RBF kernel matrix Σ_σ exp(−‖aᵢ − bⱼ‖² / (2σ²)) between a [n, d] and b [m, d] → [n, m]. */
export function rbfKernel(a: tf.Tensor2D, b: tf.Tensor2D, bandwidth: number | number[]): tf.Tensor2D {
  const sigmas = Array.isArray(bandwidth) ? bandwidth : [bandwidth];
  return tf.tidy(() => kernelFromSqDist(pairwiseSqDistances(a, b), sigmas));
}

function kernelFromSqDist(d2: tf.Tensor2D, sigmas: number[]): tf.Tensor2D {
  return tf.tidy(() => tf.addN(sigmas.map((s) => tf.exp(tf.mul(d2, -1 / (2 * s * s))))) as tf.Tensor2D);
}

/** Σ_{i,j} k(aᵢ, bⱼ) over all pairs, accumulated in float64 across row blocks. */
function kernelSum(a: tf.Tensor2D, b: tf.Tensor2D, sigmas: number[], chunkSize: number): number {
  let total = 0;
  forEachDistanceChunk(a, b, chunkSize, (d2) => {
    const s = tf.tidy(() => tf.sum(kernelFromSqDist(d2, sigmas)));
    total += s.dataSync()[0];
    s.dispose();
  });
  return total;
}

/** MMD² between samples x [m, d] and y [n, d], with the bandwidth(s) used. */
export function mmdDetailed(x: Points, y: Points, config: MmdConfig = {}): MmdResult {
  const estimator = config.estimator ?? "unbiased";
  const chunk = config.chunkSize ?? 512;
  const bw = config.bandwidth ?? medianHeuristicBandwidth(x, y, config.medianSubsample ?? 1000);
  const sigmas = Array.isArray(bw) ? bw : [bw];
  if (sigmas.length === 0 || sigmas.some((s) => !(s > 0) || !Number.isFinite(s))) {
    throw new Error(`mmd: bandwidths must be positive numbers, got [${sigmas}]`);
  }
  const mmd2 = withTensor(x, "mmd(x)", (tx) =>
    withTensor(y, "mmd(y)", (ty) => {
      if (tx.shape[1] !== ty.shape[1]) throw new Error(`mmd: dimensions differ (${tx.shape[1]} vs ${ty.shape[1]})`);
      const m = tx.shape[0];
      const n = ty.shape[0];
      const [cx, cy] = centerTogether(tx, ty);
      let kxx: number, kyy: number, kxy: number;
      try {
        kxx = kernelSum(cx, cx, sigmas, chunk);
        kyy = kernelSum(cy, cy, sigmas, chunk);
        kxy = kernelSum(cx, cy, sigmas, chunk);
      } finally {
        cx.dispose();
        cy.dispose();
      }
      if (estimator === "biased") return kxx / (m * m) + kyy / (n * n) - (2 * kxy) / (m * n);
      if (m < 2 || n < 2) throw new Error("mmd: the unbiased estimator needs at least 2 samples per set");
      // k(x, x) = 1 per kernel: remove the diagonal terms exactly.
      const diag = sigmas.length;
      return (kxx - m * diag) / (m * (m - 1)) + (kyy - n * diag) / (n * (n - 1)) - (2 * kxy) / (m * n);
    }),
  );
  return { mmd2, bandwidths: sigmas, estimator };
}

/** MMD² between samples x [m, d] and y [n, d] (RBF kernel; see MmdConfig for the defaults). */
export function mmd2(x: Points, y: Points, config: MmdConfig = {}): number {
  return mmdDetailed(x, y, config).mmd2;
}
