/**
 * Recipes "pix2pix-digits" and "l1-digits", "pix2pix-superres" and "l1-superres": the paired
 * translators of lesson 09 (lib/data/domains), on two relations:
 *
 *   …-digits    thick-stroke digits → regular digits (B → A of the "thick" domains: the thick
 *               stroke does not say exactly where the thin one ran, but almost);
 *   …-superres  4× low-resolution digits (7×7 blocks) → regular digits: super-resolution, where
 *               many digits share one blocky image and the answer is genuinely uncertain.
 *
 *   pix2pix-*   U-Net G (b = 16) and conditional PatchGAN D on (source, x) (b = 16, 7×7
 *               verdicts), non-saturating loss + λ·L1 with λ = 100 (Isola et al. 2017);
 *   l1-*        the same U-Net trained on L1 alone (no discriminator).
 * All: Adam 2e-4 (β1 = 0.5), batch 32, the 8,000 training pairs, 2,000 steps.
 *
 * Evaluation (lib/recipes/translation-evaluation) on the 2,000 held-out pairs: L1 to the true
 * regular digit, label preservation and accuracy under the reference classifier, FID, and the
 * fraction of undecided grey pixels (blur).
 */
import * as tf from "@tensorflow/tfjs";
import { RecipeRun, TrainingRecipe } from "../checkpoints/recipes";
import { DomainRelation, digitDomains, pairedSampler } from "../data/domains";
import { loadMnist } from "../data/mnist";
import { nonSaturatingLoss } from "../losses/non-saturating";
import { patchGan } from "../models/patchgan";
import { createL1Step, pix2pixTrainerParts } from "../models/pix2pix";
import { unet } from "../models/unet";
import { createRng } from "../random";
import { GanTrainer } from "../train/trainer";
import { evaluateTranslation } from "./translation-evaluation";
import { ganTrainerRun } from "./gan-run";

export const PIX2PIX_DIGITS_CONFIG = { unet: { baseChannels: 16, depth: 2 }, patchGan: { baseChannels: 16, conditionChannels: 1 }, lambda: 100, batchSize: 32 };

function pix2pixRecipe(withGan: boolean, relation: DomainRelation = "thick"): TrainingRecipe {
  const task = relation === "lowres" ? "low-resolution → regular digits (super-resolution)" : "thick → regular digits";
  const seed = (withGan ? 12 : 13) + (relation === "lowres" ? 6 : 0);
  return {
    name: `${withGan ? "pix2pix" : "l1"}-${relation === "lowres" ? "superres" : "digits"}`,
    description: withGan ? `pix2pix: U-Net + PatchGAN + λ·L1, ${task} (paired)` : `U-Net trained on L1 alone, ${task} (pix2pix's baseline)`,
    seed,
    steps: 2000,
    checkpointEvery: 500,
    async create(): Promise<RecipeRun> {
      const mnist = loadMnist();
      const domains = digitDomains(mnist, { relation });
      const c = PIX2PIX_DIGITS_CONFIG;
      const generator = unet(c.unet);
      const sample = pairedSampler(domains.paired.b, domains.paired.a, createRng(seed * 10 + 1)); // source B (thick or low-res), target A (regular)
      const evaluate = async () => ({ ...(await evaluateTranslation(generator, domains.test.b, domains.test.a, domains.test.labels)) });
      if (!withGan) {
        const l1 = createL1Step(generator);
        return {
          models: { generator },
          optimizers: { generator: l1.optimizer },
          batchSize: c.batchSize,
          step() {
            const batch = sample(c.batchSize);
            const m = l1.step(batch);
            tf.dispose([batch.x, batch.source]);
            return m;
          },
          evaluate,
          dispose: () => l1.dispose(),
        };
      }
      const trainer = new GanTrainer({
        generator,
        discriminator: patchGan(c.patchGan),
        loss: nonSaturatingLoss,
        batchSize: c.batchSize,
        ...pix2pixTrainerParts({ lambda: c.lambda }),
      });
      return ganTrainerRun(trainer, sample, { batchSize: c.batchSize, evaluate, models: { generator, discriminator: trainer.discriminator } });
    },
  };
}

export const recipes: Record<string, TrainingRecipe> = {
  "pix2pix-digits": pix2pixRecipe(true),
  "l1-digits": pix2pixRecipe(false),
  "pix2pix-superres": pix2pixRecipe(true, "lowres"),
  "l1-superres": pix2pixRecipe(false, "lowres"),
};
