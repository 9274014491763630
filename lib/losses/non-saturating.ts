/**
 * The non-saturating generator loss (Goodfellow et al. 2014, §3; NIPS 2016 tutorial §3.2.3):
 * instead of minimising log(1 − D(G(z))), the generator maximises log D(G(z)).
 *   L_G = −E[log D(G(z))] = E[softplus(−l_fake)]
 * Same fixed point as the minimax game, but strong gradients exactly when the discriminator
 * rejects the samples (D(G(z)) ≈ 0), which is early in training.
 */
import * as tf from "@tensorflow/tfjs";
import { discriminatorBce } from "./minimax";
import { GanLoss } from "./types";

export const nonSaturatingLoss: GanLoss = {
  name: "non-saturating",
  discriminator: discriminatorBce,
  generator: (dFake) => tf.tidy(() => tf.mean(tf.softplus(tf.neg(dFake))) as tf.Scalar),
};
