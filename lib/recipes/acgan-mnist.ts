/**
 * Recipe "acgan-mnist": the auxiliary-classifier GAN of lesson 08 (Odena, Olah & Shlens 2017) on
 * the MNIST training split: the cGAN's small conv G(z, c) (one-hot c), a D with a source head and
 * a class head on one body (lib/models/acgan, b = 32, dense layers of 256); non-saturating loss plus the class
 * cross-entropies (weight 1, real and fake, in D; fake in G); Adam 2e-4 (β1 = 0.5), batch 32.
 *
 * Evaluation: as cgan-mnist (accuracy of 200 samples per class, FID), plus the accuracy of D's own
 * class head on the held-out real digits (ACGAN's D is also a classifier).
 */
import * as tf from "@tensorflow/tfjs";
import { TrainingRecipe } from "../checkpoints/recipes";
import { batchSampler } from "../data/batches";
import { loadMnist } from "../data/mnist";
import { nonSaturatingLoss } from "../losses/non-saturating";
import { acganClassRegularizer, acganConditioning, acganDiscriminator } from "../models/acgan";
import { ConditionalGanConfig, conditionalGenerator } from "../models/conditional";
import { createRng } from "../random";
import { GanTrainer } from "../train/trainer";
import { classHeadAccuracy, conditionalSampler, evaluateConditionalGenerator } from "./conditional-evaluation";
import { ganTrainerRun } from "./gan-run";

export const ACGAN_MNIST_CONFIG: ConditionalGanConfig = { latentDim: 64, nClasses: 10, baseChannels: 32, denseUnits: 256, labelInput: "onehot" };

export const recipe: TrainingRecipe = {
  name: "acgan-mnist",
  description: "ACGAN on MNIST (small conv G(z, c), D with source and class heads)",
  seed: 9,
  steps: 4000,
  checkpointEvery: 500,
  async create() {
    const mnist = loadMnist();
    const batchSize = 32;
    const trainer = new GanTrainer({
      generator: conditionalGenerator(ACGAN_MNIST_CONFIG),
      discriminator: acganDiscriminator(ACGAN_MNIST_CONFIG),
      loss: nonSaturatingLoss,
      latentDim: ACGAN_MNIST_CONFIG.latentDim!,
      batchSize,
      conditioning: acganConditioning({ nClasses: 10, rng: createRng(91) }),
      regularizers: [acganClassRegularizer({ weight: 1 })],
    });
    const sample = batchSampler(mnist.train.images, mnist.train.labels, createRng(92));
    return ganTrainerRun(trainer, sample as (n: number) => { x: tf.Tensor; labels: tf.Tensor1D }, {
      batchSize,
      evaluate: async () => ({
        ...(await evaluateConditionalGenerator(conditionalSampler(trainer.generator), mnist.test.images)),
        classHeadAccuracy: classHeadAccuracy(trainer.discriminator, mnist.test.images, mnist.test.labels),
      }),
    });
  },
};
