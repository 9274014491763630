import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { modeCollapseTableRecipe, recipes } from "../../lib/recipes/mode-collapse";
import { MODE_COLLAPSE_METHODS, modeCollapseRunName } from "../../lib/experiments/mode-collapse";
import { RECIPES } from "../../lib/recipes";
import { seedGlobalRandom } from "../../lib/random";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("mode-collapse recipes", () => {
  it("are in the catalog", () => {
    expect(Object.keys(RECIPES)).toEqual(expect.arrayContaining(["mode-collapse-ring", "mode-collapse-grid"]));
    expect(recipes["mode-collapse-grid"].name).toBe("mode-collapse-grid");
    expect(recipes["mode-collapse-ring"].steps).toBeGreaterThan(0);
  });

  it("train every method × seed in lockstep, save G, D and both optimizers, and summarize per method", async () => {
    const seeds = [1, 2];
    const recipe = modeCollapseTableRecipe("ring", 2, { hiddenG: [8], hiddenD: [8], batchSize: 16 }, seeds);
    seedGlobalRandom(recipe.seed);
    const run = await recipe.create();
    const nRuns = MODE_COLLAPSE_METHODS.length * seeds.length;
    expect(Object.keys(run.models)).toHaveLength(2 * nRuns);
    expect(Object.keys(run.optimizers)).toHaveLength(2 * nRuns);
    expect(run.models[`${modeCollapseRunName("pacgan", seeds[0])}-generator`]).toBeDefined();
    run.step();
    const before = tf.memory().numTensors;
    const metrics = run.step();
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(metrics)).toHaveLength(MODE_COLLAPSE_METHODS.length);
    const measured = (await run.evaluate!()) as any;
    expect(measured.results).toHaveLength(nRuns);
    expect(measured.summary.map((s: any) => s.method)).toEqual([...MODE_COLLAPSE_METHODS]);
    expect(measured.summary[0].modesCovered.n).toBe(seeds.length);
    expect(measured.results.every((r: any) => r.steps === 2 && r.nModes === 8)).toBe(true);
    run.dispose!();
  });
});
