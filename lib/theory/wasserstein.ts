/**
 * The 1-D Wasserstein-1 (earth mover's) distance, W1(p, q) = ∫ |F_p(x) − F_q(x)| dx.
 *
 * Why: a distance to the data that stays informative when the two distributions do not overlap
 * (where the JSD is stuck at log 2), so it shows *how far* a generator still is. In 1-D it is the
 * area between the two CDFs, which we compute exactly for two samples and to ~1e-6 for a sample
 * against a known mixture. (The "sliced" Wasserstein distance averages this over 1-D projections.)
 */
import { Mixture1D } from "../data/mixture1d";
import { mixtureCdf, mixtureRange, simpson } from "./integrate";

const sorted = (a: ArrayLike<number>): number[] => Array.from(a).sort((u, v) => u - v);

/** W1 between the empirical distributions of two samples (any sizes), exactly. */
export function wasserstein1d(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length === 0 || b.length === 0) throw new Error("wasserstein1d: empty sample");
  const xa = sorted(a);
  const xb = sorted(b);
  let i = 0;
  let j = 0;
  let prev = Math.min(xa[0], xb[0]);
  let w = 0;
  while (i < xa.length || j < xb.length) {
    const next = j >= xb.length || (i < xa.length && xa[i] <= xb[j]) ? xa[i] : xb[j];
    w += Math.abs(i / xa.length - j / xb.length) * (next - prev);
    prev = next;
    if (i < xa.length && xa[i] === next) i++;
    else j++;
  }
  return w;
}

/** W1 between the empirical distribution of `samples` and a mixture: ∫ |F_n − F| dx, piecewise Simpson. */
export function wassersteinToMixture(samples: ArrayLike<number>, m: Mixture1D): number {
  if (samples.length === 0) throw new Error("wassersteinToMixture: empty sample");
  const xs = sorted(samples);
  const [mlo, mhi] = mixtureRange([m], 10);
  const points = [Math.min(mlo, xs[0]), ...xs, Math.max(mhi, xs[xs.length - 1])];
  const n = xs.length;
  const h = Math.min(...m.stds) / 20; // Simpson panels no wider than σ_min / 20
  let w = 0;
  for (let k = 0; k + 1 < points.length; k++) {
    const lo = points[k];
    const hi = points[k + 1];
    if (!(hi > lo)) continue;
    const fn = k / n; // F_n is constant (k / n) between consecutive sorted samples
    w += simpson((x) => Math.abs(fn - mixtureCdf(m, x)), lo, hi, 2 * Math.max(2, Math.ceil((hi - lo) / h)));
  }
  return w;
}
