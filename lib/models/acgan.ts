/**
 * ACGAN, the auxiliary classifier GAN (Odena, Olah & Shlens 2017, "Conditional Image Synthesis with
 * Auxiliary Classifier GANs").
 *
 * G is a conditional generator G(z, c) (conditional.ts). D does *not* see the class; instead it
 * has two heads on one body: the source head P(S | x) (real or fake?) and a class head P(C | x)
 * (which digit?). With
 *
 *   L_S = E[log P(S = real | x_real)] + E[log P(S = fake | x_fake)]
 *   L_C = E[log P(C = c | x_real)]    + E[log P(C = c | x_fake)]
 *
 * D maximizes L_S + L_C and G maximizes L_C − L_S: both want fakes to be classified as the class
 * they were drawn for, so G learns to draw recognisable digits of that class.
 *
 * In the course's trainer the source head is output [0] and goes through the ordinary GAN loss
 * (non-saturating by default); the class head is output [1] and −L_C (two cross-entropies) is a
 * `Regularizer` added to D's loss and G's loss. The trainer's conditioning must have
 * `discriminator: false` (D gets x only): see `acganConditioning`.
 */
import * as tf from "@tensorflow/tfjs";
import { GanLoss } from "../losses/types";
import { Conditioning, Regularizer } from "../train/trainer";
import { Rng } from "../random";
import { ConditionalGanConfig, discriminatorBody, labelConditioning } from "./conditional";

export interface AcganDiscriminatorConfig extends Omit<ConditionalGanConfig, "labelInput" | "embeddingDim" | "latentDim"> {}

/** D: x [batch, h, w, c] → [source logit [batch, 1], class logits [batch, nClasses]]. */
export function acganDiscriminator(config: AcganDiscriminatorConfig = {}): tf.LayersModel {
  const imageShape = config.imageShape ?? [28, 28, 1];
  const nClasses = config.nClasses ?? 10;
  const x = tf.input({ shape: imageShape, name: "x" }); // [batch, h, w, c]
  const phi = discriminatorBody(x, {
    base: config.baseChannels ?? 32, imageShape, leakyAlpha: config.leakyAlpha ?? 0.2, arch: config.arch ?? "conv", mlpHidden: config.mlpHidden ?? [256, 512], denseUnits: config.denseUnits ?? 0,
  });
  const init = tf.initializers.randomNormal({ mean: 0, stddev: 0.02 });
  const source = tf.layers.dense({ units: 1, kernelInitializer: init, name: "d_source" }).apply(phi) as tf.SymbolicTensor; // [batch, 1]
  const classes = tf.layers.dense({ units: nClasses, kernelInitializer: init, name: "d_class" }).apply(phi) as tf.SymbolicTensor; // [batch, nClasses]
  return tf.model({ inputs: x, outputs: [source, classes], name: "acgan_discriminator" });
}

/** Mean softmax cross-entropy −E[log P(C = label | x)] of class logits [batch, K] and integer labels [batch]. */
export function classCrossEntropy(classLogits: tf.Tensor, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const k = classLogits.shape[classLogits.shape.length - 1];
    const logp = tf.logSoftmax(classLogits as tf.Tensor2D); // [batch, K]
    const picked = tf.sum(tf.mul(logp, tf.oneHot(tf.cast(labels, "int32") as tf.Tensor1D, k)), 1); // [batch]
    return tf.neg(tf.mean(picked)) as tf.Scalar;
  });
}

export interface AcganClassLossConfig {
  /** Weight of the class term relative to the adversarial loss. */
  weight?: number; // 1
  /** Train D's class head on fakes too (the paper does); false trains it on real digits only. */
  fakesInDiscriminator?: boolean; // true
}

/**
 * −L_C as a regularizer: D gets CE(real class head, true labels) + CE(fake class head, drawn labels);
 * G gets CE(fake class head, drawn labels). Logged as "classD" / "classG".
 */
export function acganClassRegularizer(config: AcganClassLossConfig = {}): Regularizer {
  const weight = config.weight ?? 1;
  const withFakes = config.fakesInDiscriminator ?? true;
  const need = (t: tf.Tensor | undefined, what: string): tf.Tensor1D => {
    if (!t) throw new Error(`acganClassRegularizer: the step has no ${what}; give the trainer a conditioning and real batches with labels`);
    return t as tf.Tensor1D;
  };
  return {
    name: "class",
    discriminator: (ctx) => tf.tidy(() => {
      if (ctx.dRealOutputs.length < 2) throw new Error("acganClassRegularizer: the discriminator needs a class head as its second output");
      let loss = classCrossEntropy(ctx.dRealOutputs[1], need(ctx.real.labels, "real labels"));
      if (withFakes) loss = tf.add(loss, classCrossEntropy(ctx.dFakeOutputs[1], need(ctx.labelsFake, "fake labels")));
      return tf.mul(weight, loss) as tf.Scalar;
    }),
    generator: (ctx) => tf.tidy(() => {
      if (ctx.dFakeOutputs.length < 2) throw new Error("acganClassRegularizer: the discriminator needs a class head as its second output");
      return tf.mul(weight, classCrossEntropy(ctx.dFakeOutputs[1], need(ctx.labelsFake, "fake labels"))) as tf.Scalar;
    }),
  };
}

/** ACGAN's conditioning: G gets the one-hot class, D gets only the image. */
export function acganConditioning(options: { nClasses?: number; rng?: Rng } = {}): Conditioning {
  return labelConditioning({ nClasses: options.nClasses, labelInput: "onehot", rng: options.rng, discriminator: false });
}

/**
 * D's whole ACGAN loss, −(L_S + L_C), written out in one function (what the trainer computes from
 * the loss and the regularizer): the GAN loss on the source logits plus the two class
 * cross-entropies.
 */
export function acganDiscriminatorLoss(
  loss: GanLoss,
  real: { source: tf.Tensor; classLogits: tf.Tensor; labels: tf.Tensor1D },
  fake: { source: tf.Tensor; classLogits: tf.Tensor; labels: tf.Tensor1D },
  weight = 1,
): tf.Scalar {
  return tf.tidy(() => {
    const adversarial = loss.discriminator(real.source, fake.source);
    const classes = tf.add(classCrossEntropy(real.classLogits, real.labels), classCrossEntropy(fake.classLogits, fake.labels));
    return tf.add(adversarial, tf.mul(weight, classes)) as tf.Scalar;
  });
}
