/**
 * pix2pix (Isola, Zhu, Zhou & Efros 2017): a conditional GAN whose condition is a whole image.
 * G(s) translates a source image s (no z: these translators are deterministic) and a PatchGAN D
 * judges pairs (s, x): real pairs (s, t) from the paired training set against (s, G(s)). The
 * generator's objective adds an L1 distance to the target:
 *
 *   G* = arg min_G max_D  V_GAN(G, D) + λ · E_{s,t}[‖t − G(s)‖₁]        (λ = 100 in the paper)
 *
 * L1 alone already learns the translation, but where the target is uncertain it predicts the
 * *median* of the possible targets, which for images is a blur; the adversarial term pushes the
 * output back onto the set of sharp, real-looking targets.
 *
 * This is the course's one GanTrainer with three plug-ins (`pix2pixTrainerParts`): the generator's
 * input is the batch's `source` (generatorInputs), D's input is the pair [source, x]
 * (discriminatorInputs), and the L1 term is a generator Regularizer (`l1Regularizer`).
 * `createL1Step` is the L1-only baseline (plain regression, no discriminator).
 */
import * as tf from "@tensorflow/tfjs";
import { GanTrainerConfig, RealBatch, Regularizer } from "../train/trainer";

/** Mean absolute error between two image batches (the per-pixel ‖·‖₁ used throughout). */
export function meanAbsoluteError(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(a, b))) as tf.Scalar);
}

/** λ · mean |x_real − G(s)| added to G's loss; logged as "l1G". Needs paired batches (x is the target). */
export function l1Regularizer(weight = 100): Regularizer {
  return {
    name: "l1",
    generator: (ctx) => tf.tidy(() => tf.mul(weight, meanAbsoluteError(ctx.real.x, ctx.xFake)) as tf.Scalar),
  };
}

function needSource(real: RealBatch): tf.Tensor {
  if (!real.source) throw new Error("pix2pix: the real batch needs a `source` image (use data.pairedSampler)");
  return real.source;
}

/**
 * The GanTrainer options that make it pix2pix: G reads `real.source`, D reads [source, x], and the
 * L1 regularizer. Spread them into the trainer's config next to the models and the loss.
 */
export function pix2pixTrainerParts(options: { lambda?: number } = {}): Pick<GanTrainerConfig, "generatorInputs" | "discriminatorInputs" | "regularizers" | "latentDim" | "sampleLatent"> {
  return {
    latentDim: 1, // no z: the source image is G's only input
    sampleLatent: (n) => tf.zeros([n, 1]),
    generatorInputs: (_z, real) => needSource(real),
    discriminatorInputs: (x, real) => [needSource(real), x],
    regularizers: (options.lambda ?? 100) > 0 ? [l1Regularizer(options.lambda ?? 100)] : [],
  };
}

export interface L1Step {
  /** One Adam step on mean |target − G(source)|; returns the loss. */
  step(batch: { x: tf.Tensor; source: tf.Tensor }): { l1: number };
  optimizer: tf.Optimizer;
  dispose(): void;
}

/** The L1-only baseline: the same generator trained by regression on the pairs, no discriminator. */
export function createL1Step(generator: tf.LayersModel, options: { lr?: number; beta1?: number } = {}): L1Step {
  const optimizer = tf.train.adam(options.lr ?? 2e-4, options.beta1 ?? 0.5, 0.999);
  const vars = generator.trainableWeights.map((w) => w.read() as tf.Variable);
  return {
    optimizer,
    step(batch) {
      const loss = optimizer.minimize(() => meanAbsoluteError(batch.x, generator.apply(batch.source, { training: true }) as tf.Tensor), true, vars)!;
      const l1 = loss.dataSync()[0];
      loss.dispose();
      return { l1 };
    },
    dispose: () => optimizer.dispose(),
  };
}
