/**
 * The shape every GAN loss has: a discriminator loss of the logits on real and fake data, and a
 * generator loss of the logits on fake data. The trainer takes any object of this shape.
 *
 * "Logits" are the discriminator's raw outputs before any sigmoid; for the Wasserstein and hinge
 * losses they are the critic's scores. Any shape is allowed ([batch, 1], or [batch, h, w, 1] for a
 * PatchGAN); losses average over all elements.
 */
import * as tf from "@tensorflow/tfjs";

export interface GanLoss {
  name: string;
  discriminator(dReal: tf.Tensor, dFake: tf.Tensor): tf.Scalar;
  generator(dFake: tf.Tensor): tf.Scalar;
}

/** log D = log σ(l) = −softplus(−l), stable for any logit (no log of a rounded sigmoid). */
export function logSigmoid(logits: tf.Tensor): tf.Tensor {
  return tf.neg(tf.softplus(tf.neg(logits)));
}

/** log(1 − D) = log σ(−l) = −softplus(l). */
export function logOneMinusSigmoid(logits: tf.Tensor): tf.Tensor {
  return tf.neg(tf.softplus(logits));
}
