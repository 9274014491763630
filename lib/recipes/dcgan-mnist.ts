/**
 * Recipes "dcgan-mnist" and "dcgan-mnist-mbd": the DCGAN of lessons 05 and 07 (Radford, Metz &
 * Chintala 2015; lib/models/dcgan.ts) on the 8,000 MNIST training digits, and the same DCGAN
 * whose discriminator also gets minibatch-discrimination features (Salimans et al. 2016, §3.2)
 * for lesson 06's MNIST comparison.
 *
 *   G: z[100] → dense 7·7·2b → BN → ReLU → ConvT(b, 4, s2) → BN → ReLU → ConvT(1, 4, s2) → tanh
 *   D: x[28, 28, 1] → Conv(b, 4, s2) → LeakyReLU → Conv(2b, 4, s2) → BN → LeakyReLU → flatten → dense 1
 *
 * with b = 32 (half the paper's width, so it trains on a CPU and its checkpoint stays small),
 * non-saturating loss, Adam(2e-4, β1 = 0.5), batch 64, and GanTrainer. Measured with the course's
 * one MNIST protocol (lib/recipes/mnist-evaluation.ts): 2,000 samples against the 2,000 held-out
 * digits in the reference classifier's feature space; the real-vs-real FID (2,000 training
 * digits against the same held-out digits) is stored beside it as the floor.
 */
import { TrainingRecipe } from "../checkpoints/recipes";
import { batchSampler } from "../data/batches";
import { loadMnist } from "../data/mnist";
import { DCGAN_MNIST, dcganMnistTrainer } from "../experiments/dcgan-mnist";
import { createRng } from "../random";
import { evaluateImages } from "./mnist-evaluation";
import { sampleGenerator } from "../models/sample";
import { ganTrainerRun } from "./gan-run";

function recipeOf(name: string, minibatch: boolean): TrainingRecipe {
  return {
    name,
    description: minibatch
      ? "DCGAN (b = 32) on MNIST with minibatch discrimination in D (Salimans et al. 2016)"
      : "DCGAN (b = 32, latent 100) on MNIST: BN, ReLU/tanh G, LeakyReLU D, non-saturating loss, Adam 2e-4",
    seed: DCGAN_MNIST.seed,
    steps: DCGAN_MNIST.steps,
    checkpointEvery: 100,
    async create() {
      const mnist = loadMnist();
      const trainer = dcganMnistTrainer({ minibatch });
      const sample = batchSampler(mnist.train.images, undefined, createRng(DCGAN_MNIST.seed));
      return ganTrainerRun(trainer, sample, {
        batchSize: DCGAN_MNIST.batchSize,
        async evaluate() {
          const n = mnist.test.images.shape[0];
          const samples = sampleGenerator(trainer.generator, n);
          const measured = await evaluateImages(samples, mnist.test.images);
          samples.dispose();
          const realTrain = mnist.train.images.slice([0, 0, 0, 0], [n, -1, -1, -1]);
          const floor = await evaluateImages(realTrain, mnist.test.images);
          realTrain.dispose();
          return { ...measured, fidRealVsReal: floor.fid, minibatchDiscrimination: minibatch };
        },
      });
    },
  };
}

export const recipes: Record<string, TrainingRecipe> = {
  "dcgan-mnist": recipeOf("dcgan-mnist", false),
  "dcgan-mnist-mbd": recipeOf("dcgan-mnist-mbd", true),
};
