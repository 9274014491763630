/**
 * 1-D Gaussian mixtures: the smallest data on which a GAN's theory can be checked exactly.
 *
 * Lesson 1 integrates their densities numerically to compute the optimal discriminator
 * D*(x) = p_data / (p_data + p_g) and the Jensen–Shannon divergence (Goodfellow et al. 2014, §4).
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, createRng } from "../random";

export interface Mixture1D {
  /** Mixture weights, summing to 1. */
  weights: number[];
  means: number[];
  stds: number[];
}

/** Build a mixture, normalising the weights and checking the parameters. */
export function mixture1d(means: number[], stds: number[], weights?: number[]): Mixture1D {
  if (means.length === 0 || means.length !== stds.length) throw new Error(`mixture1d: need as many stds as means, got ${means.length} and ${stds.length}`);
  const w = weights ?? means.map(() => 1);
  if (w.length !== means.length) throw new Error(`mixture1d: ${w.length} weights for ${means.length} components`);
  if (stds.some((s) => !(s > 0))) throw new Error(`mixture1d: standard deviations must be positive, got [${stds.join(", ")}]`);
  if (w.some((x) => !(x >= 0))) throw new Error(`mixture1d: weights must be non-negative, got [${w.join(", ")}]`);
  const total = w.reduce((a, b) => a + b, 0);
  return { weights: w.map((x) => x / total), means: [...means], stds: [...stds] };
}

/** A single Gaussian as a one-component mixture. */
export function gaussian1d(mean: number, std: number): Mixture1D {
  return mixture1d([mean], [std]);
}

/** Density p(x). */
export function mixturePdf(m: Mixture1D, x: number): number {
  let p = 0;
  for (let k = 0; k < m.means.length; k++) {
    const z = (x - m.means[k]) / m.stds[k];
    p += (m.weights[k] * Math.exp(-0.5 * z * z)) / (m.stds[k] * Math.sqrt(2 * Math.PI));
  }
  return p;
}

/** n samples as a Float32Array. */
export function sampleMixtureArray(m: Mixture1D, n: number, rng: Rng = createRng()): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let u = rng.uniform();
    let k = 0;
    while (k < m.weights.length - 1 && u >= m.weights[k]) u -= m.weights[k++];
    out[i] = m.means[k] + m.stds[k] * rng.normal();
  }
  return out;
}

/** n samples as a tensor. */
export function sampleMixture(m: Mixture1D, n: number, rng: Rng = createRng()): tf.Tensor2D {
  return tf.tensor2d(sampleMixtureArray(m, n, rng), [n, 1]); // [n, 1]
}
