/**
 * Regularizers that plug into the trainer: WGAN-GP's gradient penalty (Gulrajani et al. 2017).
 */
import * as tf from "@tensorflow/tfjs";
import { gradientPenalty } from "../losses/wasserstein";
import { Regularizer } from "./trainer";

/** λ·E[(‖∇D(x̂)‖ − 1)²] on the critic's first output; for unconditional critics. */
export function gradientPenaltyRegularizer(weight = 10): Regularizer {
  return {
    name: "gp",
    discriminator: (ctx) => {
      const critic = (x: tf.Tensor) => {
        const out = ctx.discriminator.apply(x, { training: true }) as tf.Tensor | tf.Tensor[];
        return Array.isArray(out) ? out[0] : out;
      };
      return gradientPenalty(critic, ctx.real.x, ctx.xFake, weight);
    },
  };
}
