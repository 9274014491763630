/** Seeded Gaussian samples for the metric tests. */
import { createRng } from "../../lib/random";

/** n samples from N(mean, diag(std²)), seeded. */
export function gaussianRows(n: number, mean: number[], std: number | number[], seed: number): number[][] {
  const rng = createRng(seed);
  const s = typeof std === "number" ? mean.map(() => std) : std;
  return Array.from({ length: n }, () => mean.map((m, j) => m + s[j] * rng.normal()));
}

/** n samples of a correlated Gaussian x = mean + L z with a fixed lower-triangular L. */
export function correlatedRows(n: number, mean: number[], lower: number[][], seed: number): number[][] {
  const rng = createRng(seed);
  const d = mean.length;
  return Array.from({ length: n }, () => {
    const z = Array.from({ length: d }, () => rng.normal());
    return mean.map((m, i) => m + lower[i].reduce((s, l, j) => s + l * z[j], 0));
  });
}
