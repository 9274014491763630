/**
 * Gaussian kernel density estimate of 1-D samples: how lessons draw a generator's density, which
 * (unlike p_data) has no formula. Bandwidth by Silverman's rule of thumb,
 * h = 0.9 · min(σ̂, IQR / 1.34) · n^(−1/5).
 */

/** Silverman's bandwidth for 1-D samples. */
export function silvermanBandwidth(samples: ArrayLike<number>): number {
  const xs = Array.from(samples).sort((a, b) => a - b);
  const n = xs.length;
  if (n < 2) throw new Error("silvermanBandwidth: need at least two samples");
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const q = (p: number) => xs[Math.min(n - 1, Math.floor(p * (n - 1)))];
  const iqr = q(0.75) - q(0.25);
  const spread = iqr > 0 ? Math.min(std, iqr / 1.34) : std;
  return 0.9 * Math.max(spread, 1e-6) * n ** -0.2;
}

/** The KDE as a density function x → p̂(x). */
export function kde1d(samples: ArrayLike<number>, bandwidth = silvermanBandwidth(samples)): (x: number) => number {
  const xs = Float64Array.from(samples);
  const norm = 1 / (xs.length * bandwidth * Math.sqrt(2 * Math.PI));
  return (x: number) => {
    let s = 0;
    for (let i = 0; i < xs.length; i++) {
      const u = (x - xs[i]) / bandwidth;
      s += Math.exp(-0.5 * u * u);
    }
    return s * norm;
  };
}
