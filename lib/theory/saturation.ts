/**
 * Why the minimax generator loss saturates (Goodfellow et al. 2014, §3; NIPS 2016 tutorial §3.2.3).
 *
 * Write the discriminator's output on a fake as D = σ(l), l its logit. The generator's gradient
 * reaches G only through l, so ∂L_G/∂l is the size of the learning signal:
 *
 *   saturating      L_G = log(1 − σ(l))   ∂L_G/∂l = −σ(l)       = −D        → 0 as D → 0
 *   non-saturating  L_G = −log σ(l)       ∂L_G/∂l = −(1 − σ(l)) = −(1 − D)  → −1 as D → 0
 *
 * Early in training the discriminator rejects the fakes (D(G(z)) ≈ 0): exactly where the
 * saturating loss gives almost no gradient and the non-saturating one gives the most.
 */
import * as tf from "@tensorflow/tfjs";
import { GanLoss } from "../losses/types";

/** σ⁻¹(d) = log(d / (1 − d)): the logit at which D equals d. */
export function logit(d: number): number {
  return Math.log(d) - Math.log1p(-d);
}

/** ∂/∂l of log(1 − σ(l)) at D = σ(l) = d: −d. */
export function saturatingLogitGrad(d: number): number {
  return -d;
}

/** ∂/∂l of −log σ(l) at D = σ(l) = d: −(1 − d). */
export function nonSaturatingLogitGrad(d: number): number {
  return -(1 - d);
}

/**
 * Per-sample ∂L_G/∂l of a lib loss, by automatic differentiation at the given logits. The loss is a
 * mean over the batch, so its gradient is multiplied by the batch size to give each sample's term.
 */
export function generatorLogitGradients(loss: GanLoss, logits: number[]): number[] {
  return tf.tidy(() => {
    const l = tf.tensor2d(logits, [logits.length, 1]); // [batch, 1]
    const g = tf.grad((x: tf.Tensor) => loss.generator(x))(l);
    return Array.from(tf.mul(g, logits.length).dataSync());
  });
}
