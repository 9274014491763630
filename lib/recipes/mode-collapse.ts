/**
 * Recipes "mode-collapse-ring" and "mode-collapse-grid": the multi-seed table of the mode-collapse
 * lesson (notebooks/06-mode-collapse.ipynb). Every method of lib/experiments/mode-collapse (the
 * plain GAN and four remedies) is trained on one toy mixture with several seeds, all runs in
 * lockstep (one `step` advances every run by one generator step), and scored with the
 * VEEGAN/PacGAN protocol (2,500 samples, high quality within 3 std).
 *
 * The checkpoint holds every run's generator and discriminator (and Adam state, so an interrupted
 * run resumes exactly); metrics.json holds one result per run and the mean ± std per method.
 * The lesson loads it, re-scores the shipped generators live and asserts the table.
 */
import * as tf from "@tensorflow/tfjs";
import { RecipeRun, TrainingRecipe } from "../checkpoints/recipes";
import {
  MODE_COLLAPSE_METHODS,
  MODE_COLLAPSE_SEEDS,
  MODE_COLLAPSE_SETTINGS,
  MODE_COLLAPSE_STEPS,
  modeCollapseRunName,
  modeCollapseTableConfig,
  ModeCollapseSettings,
  ModeCollapseRun,
  ToyDataset,
  createModeCollapseRun,
  summarizeModeCollapse,
  toResult,
} from "../experiments/mode-collapse";

/** A table recipe: every method × seed on one dataset with shared `settings`, `steps` long. */
export function modeCollapseTableRecipe(
  dataset: ToyDataset,
  steps: number,
  settings: ModeCollapseSettings = MODE_COLLAPSE_SETTINGS[dataset],
  seeds: number[] = MODE_COLLAPSE_SEEDS,
): TrainingRecipe {
  return {
    name: `mode-collapse-${dataset}`,
    description: `mode-collapse table on the ${dataset === "ring" ? "8-Gaussian ring" : "25-Gaussian grid"}: plain GAN and 4 remedies × ${seeds.length} seeds`,
    seed: 0,
    steps,
    checkpointEvery: 100,
    async create(): Promise<RecipeRun> {
      const runs: ModeCollapseRun[] = [];
      for (const method of MODE_COLLAPSE_METHODS) {
        for (const seed of seeds) runs.push(createModeCollapseRun(modeCollapseTableConfig(dataset, method, seed, settings, steps)));
      }
      const models: Record<string, tf.LayersModel> = {};
      const optimizers: Record<string, tf.Optimizer> = {};
      for (const run of runs) {
        const name = modeCollapseRunName(run.config.method, run.config.seed);
        models[`${name}-generator`] = run.trainer.generator;
        models[`${name}-discriminator`] = run.trainer.discriminator;
        optimizers[`${name}-generator`] = run.trainer.optimizerG;
        optimizers[`${name}-discriminator`] = run.trainer.optimizerD;
      }
      return {
        models,
        optimizers,
        batchSize: runs[0].config.batchSize,
        step() {
          const metrics: Record<string, number> = {};
          for (const run of runs) {
            const m = run.step();
            if (run.config.seed === seeds[0]) metrics[`${run.config.method}.lossD`] = m.lossD;
          }
          return metrics;
        },
        async evaluate() {
          const results = runs.map((run) => toResult(run, run.evaluate(2500)));
          return { dataset, seeds, config: { ...runs[0].config, method: undefined, seed: undefined, mixture: runs[0].mixture }, summary: summarizeModeCollapse(results), results };
        },
        dispose: () => runs.forEach((r) => r.dispose()),
      };
    },
  };
}

export const recipes: Record<string, TrainingRecipe> = {
  "mode-collapse-ring": modeCollapseTableRecipe("ring", MODE_COLLAPSE_STEPS.ring),
  "mode-collapse-grid": modeCollapseTableRecipe("grid", MODE_COLLAPSE_STEPS.grid),
};
