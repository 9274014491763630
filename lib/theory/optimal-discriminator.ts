/**
 * The optimal discriminator (Goodfellow et al. 2014, Proposition 1):
 *
 *   D*(x) = p_data(x) / (p_data(x) + p_g(x))
 *
 * For a fixed generator, V(D, G) = ∫ p_data(x) log D(x) + p_g(x) log(1 − D(x)) dx, and for each x
 * the function a·log(y) + b·log(1 − y) peaks at y = a / (a + b). Where both densities vanish, D*
 * is not determined (the value does not depend on it); we return 1/2 there.
 */
import { Density1D, densityFn } from "./integrate";

/** D* from the two density values at one point. */
export function optimalDiscriminator(pData: number, pG: number): number {
  if (!(pData >= 0 && pG >= 0)) throw new Error(`optimalDiscriminator: densities must be non-negative, got ${pData} and ${pG}`);
  const total = pData + pG;
  return total > 0 ? pData / total : 0.5;
}

/** D* as a function of x, for two densities (mixtures or functions). */
export function optimalDiscriminatorFn(pData: Density1D, pG: Density1D): (x: number) => number {
  const pd = densityFn(pData);
  const pg = densityFn(pG);
  return (x: number) => optimalDiscriminator(pd(x), pg(x));
}
