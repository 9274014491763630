/**
 * The original minimax GAN loss (Goodfellow et al. 2014, eq. 1):
 *   max_D  E_x[log D(x)] + E_z[log(1 − D(G(z)))]
 *   min_G  E_z[log(1 − D(G(z)))]            ← "saturating": flat when D(G(z)) ≈ 0
 * Written as quantities to minimise, from logits l with D = σ(l):
 *   L_D = E[softplus(−l_real)] + E[softplus(l_fake)]      (binary cross-entropy)
 *   L_G = −E[softplus(l_fake)]                          (= E[log(1 − D(G(z)))])
 */
import * as tf from "@tensorflow/tfjs";
import { GanLoss } from "./types";

/** Binary cross-entropy of the discriminator: real labelled 1, fake labelled 0. */
export function discriminatorBce(dReal: tf.Tensor, dFake: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.add(tf.mean(tf.softplus(tf.neg(dReal))), tf.mean(tf.softplus(dFake))) as tf.Scalar);
}

export const minimaxLoss: GanLoss = {
  name: "minimax (saturating)",
  discriminator: discriminatorBce,
  generator: (dFake) => tf.tidy(() => tf.neg(tf.mean(tf.softplus(dFake))) as tf.Scalar),
};
