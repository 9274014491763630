/**
 * The RecipeRun of a GanTrainer, shared by the GAN recipes: the checkpoint holds the trainer's
 * generator and discriminator (or the networks the recipe names) and the two Adam states, and
 * one recipe step is one trainer step (D then G) on a batch from `sampleReal`.
 */
import * as tf from "@tensorflow/tfjs";
import { RecipeRun } from "../checkpoints/recipes";
import { GanTrainer, RealBatch } from "../train/trainer";

export interface GanRunOptions {
  batchSize: number;
  /** Measure the trained models (FID, accuracy, ...). */
  evaluate?: () => Promise<Record<string, unknown>>;
  /** The networks to save when they are not just { generator, discriminator } (e.g. CycleGAN's four). */
  models?: Record<string, tf.LayersModel>;
}

export function ganTrainerRun(trainer: GanTrainer, sampleReal: (batchSize: number) => RealBatch, options: GanRunOptions): RecipeRun {
  return {
    models: options.models ?? { generator: trainer.generator, discriminator: trainer.discriminator },
    optimizers: { generator: trainer.optimizerG, discriminator: trainer.optimizerD },
    batchSize: options.batchSize,
    step: () => trainer.step(sampleReal),
    evaluate: options.evaluate,
    dispose: () => trainer.dispose(),
  };
}
