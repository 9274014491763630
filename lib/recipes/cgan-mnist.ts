/**
 * Recipe "cgan-mnist": the conditional GAN of lesson 08 (Mirza & Osindero 2014) on the MNIST
 * training split: a small conv G(z | y) and D(x | y) (lib/models/conditional, b = 32, dense layers of 256), the label
 * one-hot, D conditioned by projection (Miyato & Koyama 2018); non-saturating loss, Adam 2e-4
 * (β1 = 0.5), batch 32.
 *
 * Evaluation (lib/recipes/conditional-evaluation): 200 samples per class; the reference
 * classifier's accuracy on them (goal ≥ 90%) and their FID against the 2,000 held-out digits.
 */
import * as tf from "@tensorflow/tfjs";
import { TrainingRecipe } from "../checkpoints/recipes";
import { batchSampler } from "../data/batches";
import { loadMnist } from "../data/mnist";
import { nonSaturatingLoss } from "../losses/non-saturating";
import { ConditionalDiscriminatorConfig, conditionalDiscriminator, conditionalGenerator, labelConditioning } from "../models/conditional";
import { createRng } from "../random";
import { GanTrainer } from "../train/trainer";
import { conditionalSampler, evaluateConditionalGenerator } from "./conditional-evaluation";
import { ganTrainerRun } from "./gan-run";

export const CGAN_MNIST_CONFIG: ConditionalDiscriminatorConfig = { latentDim: 64, nClasses: 10, baseChannels: 32, denseUnits: 256, labelInput: "onehot", combine: "projection" };

export const recipe: TrainingRecipe = {
  name: "cgan-mnist",
  description: "Conditional GAN on MNIST (small conv G(z|y), projection D(x|y), one-hot labels)",
  seed: 8,
  steps: 4000,
  checkpointEvery: 500,
  async create() {
    const mnist = loadMnist();
    const batchSize = 32;
    const trainer = new GanTrainer({
      generator: conditionalGenerator(CGAN_MNIST_CONFIG),
      discriminator: conditionalDiscriminator(CGAN_MNIST_CONFIG),
      loss: nonSaturatingLoss,
      latentDim: CGAN_MNIST_CONFIG.latentDim!,
      batchSize,
      conditioning: labelConditioning({ nClasses: 10, labelInput: "onehot", rng: createRng(81) }),
    });
    const sample = batchSampler(mnist.train.images, mnist.train.labels, createRng(82));
    return ganTrainerRun(trainer, sample as (n: number) => { x: tf.Tensor; labels: tf.Tensor1D }, {
      batchSize,
      evaluate: async () => ({ ...(await evaluateConditionalGenerator(conditionalSampler(trainer.generator), mnist.test.images)) }),
    });
  },
};
