/**
 * The R1 gradient penalty (Mescheder et al. 2018, §4.1): penalise the discriminator's gradient on
 * real data, (γ/2)·E_{x~p_data}[‖∇_x D(x)‖²], added to D's loss only.
 *
 * Why here: it is the fix Mescheder et al. give for the Dirac-GAN's endless rotation. For the
 * Dirac-GAN, ∇_x D(x) = ψ, so the penalty is (γ/2)ψ² and damps the discriminator towards ψ = 0;
 * the rotation becomes an inward spiral and gradient descent converges.
 */
import * as tf from "@tensorflow/tfjs";
import { Regularizer } from "../train/trainer";

/** A GanTrainer regularizer: (γ/2) · mean over the real batch of ‖∇_x D(x)‖², on D's first output. */
export function r1Regularizer(gamma = 10): Regularizer {
  return {
    name: "r1",
    discriminator: (ctx) =>
      tf.tidy(() => {
        const logit = (x: tf.Tensor) => {
          const out = ctx.discriminator.apply(x, { training: true }) as tf.Tensor | tf.Tensor[];
          return Array.isArray(out) ? out[0] : out;
        };
        const xReal = ctx.real.x; // [batch, ...]
        const g = tf.grad((x: tf.Tensor) => tf.sum(logit(x)))(xReal).reshape([xReal.shape[0], -1]); // [batch, features]
        return tf.mul(gamma / 2, tf.mean(tf.sum(tf.square(g), 1))) as tf.Scalar;
      }),
  };
}
