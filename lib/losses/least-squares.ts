/**
 * Least-squares GAN (Mao et al. 2017, LSGAN), with targets a = 0 (fake), b = 1 (real), c = 1:
 *   L_D = ½ E[(D(x) − 1)²] + ½ E[D(G(z))²]
 *   L_G = ½ E[(D(G(z)) − 1)²]
 * D outputs raw scores (no sigmoid). Penalises samples by their distance to the decision boundary.
 */
import * as tf from "@tensorflow/tfjs";
import { GanLoss } from "./types";

export const leastSquaresLoss: GanLoss = {
  name: "least squares",
  discriminator: (dReal, dFake) =>
    tf.tidy(() => tf.mul(0.5, tf.add(tf.mean(tf.square(tf.sub(dReal, 1))), tf.mean(tf.square(dFake)))) as tf.Scalar),
  generator: (dFake) => tf.tidy(() => tf.mul(0.5, tf.mean(tf.square(tf.sub(dFake, 1)))) as tf.Scalar),
};
