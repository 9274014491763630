/**
 * Numerical integration on the real line, and the 1-D densities lessons integrate.
 *
 * Why: the theory of Goodfellow et al. (2014, §4) is about integrals over x — the value function
 * V(D, G), the optimal discriminator's value, the Jensen–Shannon divergence. For 1-D Gaussian
 * mixtures these integrals have no closed form, but composite Simpson's rule on a fine grid gets
 * them to ~1e-10, far below anything a lesson asserts.
 */
import { Mixture1D, mixturePdf } from "../data/mixture1d";

/** A 1-D density as a function, or a Gaussian mixture (whose pdf lib knows). */
export type Density1D = Mixture1D | ((x: number) => number);

/** The density as a plain function x → p(x). */
export function densityFn(p: Density1D): (x: number) => number {
  return typeof p === "function" ? p : (x: number) => mixturePdf(p, x);
}

/** An interval [lo, hi]. */
export type Interval = [number, number];

/**
 * An interval holding all but a negligible part (< 1e-30) of the mass of every given mixture:
 * each component's mean ± `widths` standard deviations (default 12).
 */
export function mixtureRange(mixtures: Mixture1D[], widths = 12): Interval {
  let lo = Infinity;
  let hi = -Infinity;
  for (const m of mixtures) {
    for (let k = 0; k < m.means.length; k++) {
      lo = Math.min(lo, m.means[k] - widths * m.stds[k]);
      hi = Math.max(hi, m.means[k] + widths * m.stds[k]);
    }
  }
  if (!Number.isFinite(lo)) throw new Error("mixtureRange: need at least one mixture");
  return [lo, hi];
}

/** The integration interval of some densities: explicit, or derived from the mixtures among them. */
export function rangeOf(densities: Density1D[], range?: Interval): Interval {
  if (range) return range;
  const mixtures = densities.filter((d): d is Mixture1D => typeof d !== "function");
  if (mixtures.length !== densities.length) throw new Error("rangeOf: densities given as functions need an explicit integration range [lo, hi]");
  return mixtureRange(mixtures);
}

/** ∫_lo^hi f(x) dx by composite Simpson's rule on `n` intervals (n is rounded up to even). Default n = 20 000. */
export function simpson(f: (x: number) => number, lo: number, hi: number, n = 20_000): number {
  if (!(hi > lo)) throw new Error(`simpson: need lo < hi, got [${lo}, ${hi}]`);
  const m = n % 2 === 0 ? n : n + 1;
  const h = (hi - lo) / m;
  let sum = f(lo) + f(hi);
  for (let i = 1; i < m; i++) sum += (i % 2 === 1 ? 4 : 2) * f(lo + i * h);
  return (sum * h) / 3;
}

/** `n` evenly spaced points from lo to hi inclusive (for plotting curves). */
export function linspace(lo: number, hi: number, n: number): number[] {
  if (n < 2) return [lo];
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/**
 * The error function, |error| < 1.2e-7 (Numerical Recipes' erfc with a Chebyshev fit). Used for
 * mixture CDFs, i.e. the exact mass of a histogram bin.
 */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc : erfc - 1;
}

/** The mixture's cumulative distribution function P(X ≤ x). */
export function mixtureCdf(m: Mixture1D, x: number): number {
  let c = 0;
  for (let k = 0; k < m.means.length; k++) c += m.weights[k] * 0.5 * (1 + erf((x - m.means[k]) / (m.stds[k] * Math.SQRT2)));
  return c;
}
