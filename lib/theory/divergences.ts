/**
 * Kullback–Leibler and Jensen–Shannon divergences, in nats (natural logarithm).
 *
 *   KL(p ‖ q)  = Σ p log(p / q)
 *   JSD(p ‖ q) = ½ KL(p ‖ m) + ½ KL(q ‖ m),  m = (p + q) / 2,   0 ≤ JSD ≤ log 2
 *
 * The JSD is what the minimax GAN's generator minimises when D is optimal (Goodfellow et al. 2014,
 * Theorem 1). Discrete versions for distributions over a finite set, continuous ones for 1-D
 * densities (by integration), and a binned version that scores samples against a known mixture.
 */
import { Mixture1D } from "../data/mixture1d";
import { Density1D, Interval, densityFn, mixtureCdf, rangeOf, simpson } from "./integrate";

function checkDistribution(p: ArrayLike<number>, name: string): void {
  let total = 0;
  for (let i = 0; i < p.length; i++) {
    if (!(p[i] >= 0)) throw new Error(`${name}: probabilities must be non-negative, got ${p[i]} at index ${i}`);
    total += p[i];
  }
  if (Math.abs(total - 1) > 1e-6) throw new Error(`${name}: probabilities must sum to 1, got ${total}`);
}

/** p log(p / q) with 0 log(0 / q) = 0 and p log(p / 0) = ∞. */
function klTerm(p: number, q: number): number {
  if (p === 0) return 0;
  if (q === 0) return Infinity;
  return p * Math.log(p / q);
}

/** KL(p ‖ q) of two discrete distributions (arrays of probabilities over the same outcomes). */
export function klDivergence(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) throw new Error(`klDivergence: distributions over ${p.length} and ${q.length} outcomes`);
  checkDistribution(p, "klDivergence");
  checkDistribution(q, "klDivergence");
  let kl = 0;
  for (let i = 0; i < p.length; i++) kl += klTerm(p[i], q[i]);
  return kl;
}

/** JSD(p ‖ q) of two discrete distributions; symmetric, in [0, log 2]. */
export function jsDivergence(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) throw new Error(`jsDivergence: distributions over ${p.length} and ${q.length} outcomes`);
  checkDistribution(p, "jsDivergence");
  checkDistribution(q, "jsDivergence");
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const m = (p[i] + q[i]) / 2;
    js += 0.5 * klTerm(p[i], m) + 0.5 * klTerm(q[i], m);
  }
  return js;
}

/** KL(p ‖ q) = ∫ p log(p / q) dx of two 1-D densities. */
export function klDivergence1d(p: Density1D, q: Density1D, range?: Interval): number {
  const [lo, hi] = rangeOf([p, q], range);
  const pf = densityFn(p);
  const qf = densityFn(q);
  return simpson((x) => klTerm(pf(x), qf(x)), lo, hi);
}

/** JSD(p ‖ q) of two 1-D densities by numerical integration. */
export function jsDivergence1d(p: Density1D, q: Density1D, range?: Interval): number {
  const [lo, hi] = rangeOf([p, q], range);
  const pf = densityFn(p);
  const qf = densityFn(q);
  // a log(a / m) written as a log(2a / (a + b)): no underflow of m = (a + b) / 2 in far tails.
  const term = (a: number, b: number) => (a === 0 ? 0 : a * Math.log((2 * a) / (a + b)));
  return simpson((x) => {
    const a = pf(x);
    const b = qf(x);
    return 0.5 * term(a, b) + 0.5 * term(b, a);
  }, lo, hi);
}

export interface BinnedOptions {
  lo?: number; // -4
  hi?: number; // 4
  bins?: number; // 40 (plus one overflow bin on each side)
}

/** Histogram probabilities of samples over `bins` equal bins of [lo, hi] plus the two tails (−∞, lo) and [hi, ∞). */
export function histogramProbabilities(samples: ArrayLike<number>, options: BinnedOptions = {}): number[] {
  const lo = options.lo ?? -4;
  const hi = options.hi ?? 4;
  const bins = options.bins ?? 40;
  const counts = new Array(bins + 2).fill(0);
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i];
    const k = x < lo ? 0 : x >= hi ? bins + 1 : 1 + Math.min(bins - 1, Math.floor(((x - lo) / (hi - lo)) * bins));
    counts[k]++;
  }
  return counts.map((c) => c / samples.length);
}

/** The exact probabilities the mixture gives the same bins (via its CDF). */
export function mixtureBinProbabilities(m: Mixture1D, options: BinnedOptions = {}): number[] {
  const lo = options.lo ?? -4;
  const hi = options.hi ?? 4;
  const bins = options.bins ?? 40;
  const edges = [-Infinity, ...Array.from({ length: bins + 1 }, (_, i) => lo + ((hi - lo) * i) / bins), Infinity];
  const cdf = edges.map((e) => (e === -Infinity ? 0 : e === Infinity ? 1 : mixtureCdf(m, e)));
  const probs = cdf.slice(1).map((c, i) => Math.max(0, c - cdf[i]));
  const total = probs.reduce((a, b) => a + b, 0);
  return probs.map((p) => p / total);
}

/**
 * JSD between the histogram of samples and the mixture's exact bin probabilities: a consistent,
 * parameter-free way to score a generator against known 1-D data. Even samples of p_data itself
 * score slightly above 0 (≈ (bins + 1) / (8 n) for n samples): that is the floor.
 */
export function binnedJsd(samples: ArrayLike<number>, m: Mixture1D, options: BinnedOptions = {}): number {
  return jsDivergence(histogramProbabilities(samples, options), mixtureBinProbabilities(m, options));
}
