/**
 * Recipes of lesson 10: the small SAGAN on MNIST, its three ablations and the DCGAN of the same
 * size, all on the same budget (steps × batch) and seed, measured with the same protocol
 * (lib/recipes/mnist-evaluation.ts), so their FIDs can be compared.
 *
 *   sagan-mnist                 attention + spectral norm on G and D + hinge loss + TTUR
 *                               (lrD = 4e-4, lrG = 1e-4, Adam β = (0, 0.9), 1:1 updates; Zhang et al. 2018)
 *   sagan-mnist-no-attention    the same without the self-attention blocks
 *   sagan-mnist-no-sn           the same without spectral normalization
 *   sagan-mnist-no-ttur         the same with one learning rate, lrD = lrG = 1e-4
 *   dcgan-mnist-small           the course's DCGAN (lib/models/dcgan.ts) of the same width and
 *                               latent size: batch norm, non-saturating loss, Adam 2e-4, β1 = 0.5
 *
 * Width b = 16, latent 32, attention keys of C/4 channels, 2,000 steps of 64 images: small enough
 * to train on a shared CPU (the attention makes a SAGAN step about twice a DCGAN step), with
 * checkpoints of ~0.3 MB.
 */
import * as tf from "@tensorflow/tfjs";
import { TrainingRecipe } from "../checkpoints/recipes";
import { batchSampler } from "../data/batches";
import { loadMnist } from "../data/mnist";
import { hingeLoss, nonSaturatingLoss } from "../losses";
import { dcganDiscriminator, dcganGenerator } from "../models/dcgan";
import { saganDiscriminator, saganGenerator, SaganConfig } from "../models/sagan";
import { createRng } from "../random";
import { GanTrainer, GanTrainerConfig } from "../train/trainer";
import { evaluateImages } from "./mnist-evaluation";
import { sampleGenerator } from "../models/sample";
import { ganTrainerRun } from "./gan-run";

/** Shared by every run of the comparison. */
export const SAGAN_BUDGET = { steps: 2000, batchSize: 64, latentDim: 32, baseChannels: 16, attentionReduction: 4, seed: 10 };

export interface SaganVariant {
  name: string;
  description: string;
  /** G and D, built deterministically after the seed is set. */
  models(): { generator: tf.LayersModel; discriminator: tf.LayersModel };
  /** Loss and optimizer settings for GanTrainer. */
  training: Pick<GanTrainerConfig, "loss" | "lrG" | "lrD" | "beta1" | "beta2">;
}

const sagan = (overrides: SaganConfig) => () => ({
  generator: saganGenerator({ latentDim: SAGAN_BUDGET.latentDim, baseChannels: SAGAN_BUDGET.baseChannels, attentionReduction: SAGAN_BUDGET.attentionReduction, ...overrides }),
  discriminator: saganDiscriminator({ baseChannels: SAGAN_BUDGET.baseChannels, attentionReduction: SAGAN_BUDGET.attentionReduction, ...overrides }),
});
const ttur = { loss: hingeLoss, lrD: 4e-4, lrG: 1e-4, beta1: 0, beta2: 0.9 };

export const SAGAN_VARIANTS: Record<string, SaganVariant> = {
  "sagan-mnist": {
    name: "sagan-mnist",
    description: "SAGAN on MNIST: self-attention, spectral norm on G and D, hinge loss, TTUR",
    models: sagan({}),
    training: ttur,
  },
  "sagan-mnist-no-attention": {
    name: "sagan-mnist-no-attention",
    description: "SAGAN ablation: no self-attention (spectral norm, hinge, TTUR kept)",
    models: sagan({ attention: false }),
    training: ttur,
  },
  "sagan-mnist-no-sn": {
    name: "sagan-mnist-no-sn",
    description: "SAGAN ablation: no spectral normalization (attention, hinge, TTUR kept)",
    models: sagan({ spectralNorm: false }),
    training: ttur,
  },
  "sagan-mnist-no-ttur": {
    name: "sagan-mnist-no-ttur",
    description: "SAGAN ablation: one learning rate 1e-4 for G and D (attention, spectral norm, hinge kept)",
    models: sagan({}),
    training: { ...ttur, lrD: 1e-4, lrG: 1e-4 },
  },
  "dcgan-mnist-small": {
    name: "dcgan-mnist-small",
    description: "DCGAN of the SAGAN's size and budget (b = 16, latent 32; BN, non-saturating loss, Adam 2e-4)",
    models: () => ({
      generator: dcganGenerator({ latentDim: SAGAN_BUDGET.latentDim, baseChannels: SAGAN_BUDGET.baseChannels }),
      discriminator: dcganDiscriminator({ baseChannels: SAGAN_BUDGET.baseChannels }),
    }),
    training: { loss: nonSaturatingLoss, lrD: 2e-4, lrG: 2e-4, beta1: 0.5, beta2: 0.999 },
  },
};

/** The trainer a variant is trained with (also used live in the lesson). */
export function saganTrainer(variant: SaganVariant, models = variant.models()): GanTrainer {
  return new GanTrainer({ ...models, ...variant.training, latentDim: SAGAN_BUDGET.latentDim, batchSize: SAGAN_BUDGET.batchSize, nCritic: 1 });
}

function recipeOf(variant: SaganVariant): TrainingRecipe {
  return {
    name: variant.name,
    description: variant.description,
    seed: SAGAN_BUDGET.seed,
    steps: SAGAN_BUDGET.steps,
    checkpointEvery: 250,
    async create() {
      const mnist = loadMnist();
      const trainer = saganTrainer(variant);
      const sample = batchSampler(mnist.train.images, undefined, createRng(SAGAN_BUDGET.seed));
      return ganTrainerRun(trainer, sample, {
        batchSize: SAGAN_BUDGET.batchSize,
        async evaluate() {
          const samples = sampleGenerator(trainer.generator, mnist.test.images.shape[0]);
          const measured = await evaluateImages(samples, mnist.test.images);
          samples.dispose();
          return { ...measured, variant: variant.name, lrG: variant.training.lrG, lrD: variant.training.lrD, loss: variant.training.loss!.name };
        },
      });
    },
  };
}

export const recipes: Record<string, TrainingRecipe> = Object.fromEntries(Object.values(SAGAN_VARIANTS).map((v) => [v.name, recipeOf(v)]));
