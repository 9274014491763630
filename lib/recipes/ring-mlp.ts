/**
 * Recipe "ring-mlp": a plain MLP GAN on the 8-Gaussian ring (the mode-collapse lesson's baseline),
 * non-saturating loss, Adam 1e-3. Small enough to train in a minute; the reference for the
 * checkpoint machinery.
 */
import * as tf from "@tensorflow/tfjs";
import { TrainingRecipe } from "../checkpoints/recipes";
import { ringMixture, sampleMixture2d } from "../data/toy2d";
import { nonSaturatingLoss } from "../losses";
import { modeCoverage } from "../metrics/mode-coverage";
import { mlpDiscriminator, mlpGenerator } from "../models/mlp";
import { createRng } from "../random";
import { GanTrainer } from "../train/trainer";

export const recipe: TrainingRecipe = {
  name: "ring-mlp",
  description: "MLP GAN on the 8-Gaussian ring (non-saturating loss)",
  seed: 1,
  steps: 2000,
  checkpointEvery: 500,
  async create() {
    const latentDim = 2;
    const ring = ringMixture();
    const rng = createRng(1);
    const trainer = new GanTrainer({
      generator: mlpGenerator({ latentDim, dataDim: 2, hidden: [128, 128] }),
      discriminator: mlpDiscriminator({ dataDim: 2, hidden: [128, 128] }),
      loss: nonSaturatingLoss,
      latentDim,
      batchSize: 256,
      lrG: 1e-3,
      lrD: 1e-3,
    });
    return {
      models: { generator: trainer.generator, discriminator: trainer.discriminator },
      optimizers: { generator: trainer.optimizerG, discriminator: trainer.optimizerD },
      batchSize: 256,
      step: () => trainer.step((n) => ({ x: sampleMixture2d(ring, n, rng) })),
      async evaluate() {
        const samples = trainer.generate(2500);
        const points = (await samples.data()) as Float32Array;
        samples.dispose();
        // VEEGAN/PacGAN mode statistics: 2500 samples, high quality within 3 std, covered by ≥ 1.
        const c = modeCoverage(points, ring);
        return { samples: c.nSamples, modesCovered: c.modesCovered, highQualityFraction: c.highQualityFraction, reverseKl: c.reverseKl, modeHits: c.histogram };
      },
      dispose: () => {
        trainer.dispose();
        tf.dispose([...trainer.generator.weights.map((w) => w.read()), ...trainer.discriminator.weights.map((w) => w.read())]);
      },
    };
  },
};
