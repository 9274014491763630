/**
 * Inception Score (Salimans et al. 2016, "Improved Techniques for Training GANs", §4):
 *
 *   IS = exp( E_x KL( p(y|x) ‖ p(y) ) ),   p(y) = E_x p(y|x)
 *
 * High when each sample is classified confidently (low-entropy p(y|x)) AND the classes are used
 * evenly (high-entropy p(y)). It ranges from 1 (every sample gets the same prediction) to K (K
 * classes, each sample one-hot, classes balanced). The reference code splits the N samples into
 * `splits` consecutive groups (10 in the paper), computes the score per group and reports
 * mean ± std; we do the same. Here p(y|x) comes from whatever classifier the lesson uses (our
 * MNIST classifier, not Inception), so scores are only comparable within this course.
 */
import * as tf from "@tensorflow/tfjs";
import { toRows } from "./points";

export interface InceptionScoreConfig {
  /** Number of consecutive groups to score separately (reference code: 10). Default 1. */
  splits?: number;
  /** Allowed |Σ_k p_k − 1| per row before we assume the input is not probabilities. Default 1e-3. */
  sumTolerance?: number;
}

export interface InceptionScoreResult {
  /** Mean of the per-split scores (the single score when splits = 1). */
  mean: number;
  /** Population standard deviation of the per-split scores (as numpy.std in the reference code). */
  std: number;
  /** The score of each split. */
  scores: number[];
}

/** x log(x / y) with the convention 0 log 0 = 0. */
function xlogxy(x: number, y: number): number {
  return x > 0 ? x * Math.log(x / y) : 0;
}

/** IS of one group of probability rows. */
function scoreOf(rows: number[][]): number {
  const k = rows[0].length;
  const py = new Array<number>(k).fill(0);
  for (const r of rows) for (let j = 0; j < k; j++) py[j] += r[j] / rows.length;
  let klSum = 0;
  for (const r of rows) for (let j = 0; j < k; j++) klSum += xlogxy(r[j], py[j]);
  return Math.exp(klSum / rows.length);
}

/**
 * Inception score from class probabilities [N, K] (rows sum to 1; pass softmax outputs, not
 * logits).
 */
export function inceptionScore(probs: number[][] | tf.Tensor2D, config: InceptionScoreConfig = {}): InceptionScoreResult {
  const rows = toRows(probs, "inceptionScore");
  const splits = config.splits ?? 1;
  const tol = config.sumTolerance ?? 1e-3;
  if (!Number.isInteger(splits) || splits < 1 || splits > rows.length) {
    throw new Error(`inceptionScore: splits must be an integer in [1, ${rows.length}], got ${splits}`);
  }
  rows.forEach((r, i) => {
    const s = r.reduce((a, b) => a + b, 0);
    if (r.some((v) => v < 0) || Math.abs(s - 1) > tol) {
      throw new Error(`inceptionScore: row ${i} is not a probability vector (sum ${s}); apply softmax to logits first`);
    }
  });
  // Like the reference: split i takes rows [i·⌊N/s⌋, (i+1)·⌊N/s⌋); a remainder is dropped.
  const size = Math.floor(rows.length / splits);
  const scores: number[] = [];
  for (let i = 0; i < splits; i++) scores.push(scoreOf(rows.slice(i * size, (i + 1) * size)));
  const mean = scores.reduce((a, b) => a + b, 0) / splits;
  const std = Math.sqrt(scores.reduce((a, s) => a + (s - mean) ** 2, 0) / splits);
  return { mean, std, scores };
}
