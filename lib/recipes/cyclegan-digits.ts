/**
 * Recipes "cyclegan-digits", "cyclegan-digits-nocycle" and their "-dense" twins: CycleGAN (Zhu et
 * al. 2017) between regular (A) and thick-stroke (B) digits, *unpaired*: A from one half of the
 * training digits, B from the thickened other half (lib/data/domains).
 *
 *   cyclegan-digits          L_GAN(G, D_B) + L_GAN(F, D_A) + λ·L_cyc with λ = 10;
 *   cyclegan-digits-nocycle  the ablation λ = 0: two GANs, nothing in the loss ties G(a) to a.
 *   …-dense                  the same two with a fully connected bottleneck of 64 units in both
 *                            translators (`denseBottleneck`): no longer local, so a translator is
 *                            free to redraw the whole digit, and only the loss can keep it.
 * Both: two translators that are small encoder–decoders without skip connections (lib/models/unet
 * with skips: false, b = 16: 28 → 14 → 7 → 14 → 28, closer to DiscoGAN's networks than to
 * CycleGAN's residual generator, `cycleGanGenerator`, which costs 3× as much per step here), two
 * PatchGAN discriminators (b = 16), the non-saturating loss, Adam 2e-4 (β1 = 0.5), batch 16, on
 * the one GanTrainer through the packed pair models. Without skips, a translation has to pass
 * through the 7×7 bottleneck, but the convolutions keep it local (one input pixel reaches 318 of
 * the 784 output pixels of the shipped G), and locality alone keeps the digit: the -nocycle run
 * preserves labels 94% of the time. The -dense twins remove the locality (711 of 784).
 *
 * Evaluation on the 2,000 held-out digits, where the right translation is known, in both
 * directions: L1 to the truth, cycle error (A→B→A and B→A→B), label preservation, accuracy, FID.
 */
import * as tf from "@tensorflow/tfjs";
import { TrainingRecipe } from "../checkpoints/recipes";
import { digitDomains, unpairedSampler } from "../data/domains";
import { loadMnist } from "../data/mnist";
import { nonSaturatingLoss } from "../losses/non-saturating";
import { cycleGanBatches, cycleGanModels, cycleGanTrainerParts } from "../models/cyclegan";
import { unet } from "../models/unet";
import { patchGan } from "../models/patchgan";
import { createRng } from "../random";
import { GanTrainer } from "../train/trainer";
import { evaluateCycleGan } from "./translation-evaluation";
import { ganTrainerRun } from "./gan-run";

export const CYCLEGAN_DIGITS_CONFIG = {
  generator: { baseChannels: 16, depth: 2, skips: false },
  denseBottleneck: 64, // units of the "-dense" variants' fully connected bottleneck
  discriminator: { baseChannels: 16 },
  lambdaCycle: 10,
  batchSize: 16,
};

/** The four networks of the shipped checkpoints, built fresh (restore weights into them, or load the checkpoint's models). */
export function cycleGanDigitsModels(options: { dense?: boolean } = {}) {
  const c = CYCLEGAN_DIGITS_CONFIG;
  const generator = { ...c.generator, denseBottleneck: options.dense ? c.denseBottleneck : 0 };
  return cycleGanModels({
    generatorAB: unet({ ...generator, name: "g_ab" }),
    generatorBA: unet({ ...generator, name: "g_ba" }),
    discriminatorA: patchGan({ ...c.discriminator, name: "d_a" }),
    discriminatorB: patchGan({ ...c.discriminator, name: "d_b" }),
  });
}

function cycleRecipe(withCycle: boolean, dense = false): TrainingRecipe {
  const name = `cyclegan-digits${dense ? "-dense" : ""}${withCycle ? "" : "-nocycle"}`;
  const translators = dense ? `, translators with a ${CYCLEGAN_DIGITS_CONFIG.denseBottleneck}-unit dense bottleneck` : "";
  const seed = (withCycle ? 14 : 15) + (dense ? 2 : 0);
  return {
    name,
    description: (withCycle ? "CycleGAN regular ↔ thick digits, unpaired (λ_cyc = 10)" : "CycleGAN ablation without the cycle loss (λ_cyc = 0)") + translators,
    seed,
    steps: 2000,
    checkpointEvery: 500,
    async create() {
      const mnist = loadMnist();
      const domains = digitDomains(mnist);
      const c = CYCLEGAN_DIGITS_CONFIG;
      const m = cycleGanDigitsModels({ dense });
      const trainer = new GanTrainer({
        generator: m.generator,
        discriminator: m.discriminator,
        loss: nonSaturatingLoss,
        batchSize: c.batchSize,
        ...cycleGanTrainerParts({ lambdaCycle: withCycle ? c.lambdaCycle : 0 }),
      });
      const sample = cycleGanBatches(unpairedSampler(domains.unpaired.a, domains.unpaired.b, createRng(seed * 10 + 1)));
      return ganTrainerRun(trainer, sample as (n: number) => { x: tf.Tensor; a: tf.Tensor; b: tf.Tensor }, {
        batchSize: c.batchSize,
        models: { generatorAB: m.generatorAB, generatorBA: m.generatorBA, discriminatorA: m.discriminatorA, discriminatorB: m.discriminatorB },
        evaluate: () => evaluateCycleGan(m.generatorAB, m.generatorBA, domains.test),
      });
    },
  };
}

export const recipes: Record<string, TrainingRecipe> = {
  "cyclegan-digits": cycleRecipe(true),
  "cyclegan-digits-nocycle": cycleRecipe(false),
  "cyclegan-digits-dense": cycleRecipe(true, true),
  "cyclegan-digits-dense-nocycle": cycleRecipe(false, true),
};
