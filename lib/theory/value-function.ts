/**
 * The GAN value function (Goodfellow et al. 2014, eq. 1):
 *
 *   V(D, G) = E_{x~p_data}[log D(x)] + E_{z~p_z}[log(1 − D(G(z)))]
 *           = ∫ p_data(x) log D(x) + p_g(x) log(1 − D(x)) dx
 *
 * The first term rewards D for calling real data real, the second for calling fakes fake; G can
 * only lower the second. Two views: a Monte-Carlo estimate on a batch (what training computes), and
 * the exact integral for 1-D densities (what the theory is about). With D = D*, the value is
 * V(G, D*) = −log 4 + 2·JSD(p_data ‖ p_g) (Theorem 1).
 */
import * as tf from "@tensorflow/tfjs";
import { discriminatorBce } from "../losses/minimax";
import { Density1D, Interval, densityFn, rangeOf, simpson } from "./integrate";

/** p·log(q), with 0·log(anything) = 0 (the convention that makes the integrals finite). */
export function xlogy(p: number, q: number): number {
  return p === 0 ? 0 : p * Math.log(q);
}

/** Batch estimate from probabilities D(x) ∈ (0, 1): mean(log dReal) + mean(log(1 − dFake)). */
export function discriminatorValue(dReal: tf.Tensor, dFake: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.add(tf.mean(tf.log(dReal)), tf.mean(tf.log(tf.sub(1, dFake)))) as tf.Scalar);
}

/** The same estimate from logits (D = σ(logit)), computed stably: it is minus the discriminator's cross-entropy. */
export function discriminatorValueFromLogits(logitsReal: tf.Tensor, logitsFake: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(discriminatorBce(logitsReal, logitsFake)));
}

/** V(D, G) = ∫ p_data log D + p_g log(1 − D) dx for 1-D densities and any D: x → (0, 1). */
export function valueFunction(pData: Density1D, pG: Density1D, d: (x: number) => number, range?: Interval): number {
  const [lo, hi] = rangeOf([pData, pG], range);
  const pd = densityFn(pData);
  const pg = densityFn(pG);
  return simpson((x) => {
    const dx = d(x);
    return xlogy(pd(x), dx) + xlogy(pg(x), 1 - dx);
  }, lo, hi);
}

/**
 * V(G, D*) = max_D V(D, G): the value when the discriminator plays optimally. The integrand is V's
 * with D = D*, written as p_data log(p_data / (p_data + p_g)) + p_g log(p_g / (p_data + p_g)) so
 * that 1 − D* is never rounded to 0 where p_g is tiny but not zero.
 */
export function optimalValue(pData: Density1D, pG: Density1D, range?: Interval): number {
  const [lo, hi] = rangeOf([pData, pG], range);
  const pd = densityFn(pData);
  const pg = densityFn(pG);
  return simpson((x) => {
    const a = pd(x);
    const b = pg(x);
    const total = a + b;
    return total > 0 ? xlogy(a, a / total) + xlogy(b, b / total) : 0;
  }, lo, hi);
}
