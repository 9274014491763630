/**
 * Wasserstein GAN (Arjovsky et al. 2017) with gradient penalty (Gulrajani et al. 2017, WGAN-GP).
 *   critic:    L_D = E[D(G(z))] − E[D(x)]  (+ λ E[(‖∇_x̂ D(x̂)‖₂ − 1)²], x̂ on lines between real and fake)
 *   generator: L_G = −E[D(G(z))]
 * The penalty needs the critic itself, so it is a trainer regularizer, not part of the loss object.
 */
import * as tf from "@tensorflow/tfjs";
import { GanLoss } from "./types";

export const wassersteinLoss: GanLoss = {
  name: "wasserstein",
  discriminator: (dReal, dFake) => tf.tidy(() => tf.sub(tf.mean(dFake), tf.mean(dReal)) as tf.Scalar),
  generator: (dFake) => tf.tidy(() => tf.neg(tf.mean(dFake)) as tf.Scalar),
};

/**
 * λ · E[(‖∇_x̂ D(x̂)‖₂ − 1)²] with x̂ = ε x_real + (1 − ε) x_fake, ε ~ U[0, 1] per example.
 * `critic` maps a batch to scores. Differentiable w.r.t. the critic's weights (double backprop).
 */
export function gradientPenalty(critic: (x: tf.Tensor) => tf.Tensor, xReal: tf.Tensor, xFake: tf.Tensor, weight = 10): tf.Scalar {
  return tf.tidy(() => {
    const batch = xReal.shape[0];
    const epsShape = [batch, ...xReal.shape.slice(1).map(() => 1)];
    const eps = tf.randomUniform(epsShape);
    const xHat = tf.add(tf.mul(eps, xReal), tf.mul(tf.sub(1, eps), xFake)); // [batch, ...]
    const gradOf = tf.grad((x: tf.Tensor) => tf.sum(critic(x)));
    const g = gradOf(xHat).reshape([batch, -1]); // [batch, features]
    const norm = tf.sqrt(tf.add(tf.sum(tf.square(g), 1), 1e-12)); // [batch]
    return tf.mul(weight, tf.mean(tf.square(tf.sub(norm, 1)))) as tf.Scalar;
  });
}
