/**
 * Training recipes: named, seeded, resumable training runs that produce the shipped checkpoints.
 * `npm run train -- NAME` runs one (scripts/train.ts); lessons load the result with
 * `loadCheckpoint(NAME)` and still train live for a short run.
 *
 * A recipe builds its models deterministically (so a resumed run rebuilds the same graph), takes
 * one training step at a time, and measures the finished model.
 */
import * as tf from "@tensorflow/tfjs";

export interface RecipeRun {
  /** The networks to save, by name (e.g. { generator, discriminator }). */
  models: Record<string, tf.LayersModel>;
  /** Optimizer state to save, for exact resumption. */
  optimizers: Record<string, tf.Optimizer>;
  batchSize: number;
  /** One training step; returns its metrics (losses). */
  step(): Record<string, number>;
  /** Measure the trained models (FID, accuracy, ...). */
  evaluate?(): Promise<Record<string, unknown>>;
  dispose?(): void;
}

export interface TrainingRecipe {
  name: string;
  description: string;
  seed: number;
  /** Total steps of a full run. */
  steps: number;
  /** Save every this many steps (so an interrupted run resumes). */
  checkpointEvery: number;
  /** Build models, data and optimizers; `seed` is already applied. */
  create(): Promise<RecipeRun>;
}

/** A catalog entry: loads the recipe's module only when asked (importing lib trains nothing). */
export type RecipeCatalog = Record<string, () => TrainingRecipe>;
