import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { recipes as pix2pixRecipes } from "../../lib/recipes/pix2pix-digits";
import { CYCLEGAN_DIGITS_CONFIG, cycleGanDigitsModels, recipes as cycleRecipes } from "../../lib/recipes/cyclegan-digits";
import { recipeNames } from "../../lib/recipes";
import { seedGlobalRandom } from "../../lib/random";
import { useWasm } from "../backend/helpers";

// wasm with the course's kernels: the engine the recipes train on (conv steps on cpu take minutes)
beforeAll(useWasm);

describe("lesson 09 recipes", () => {
  const all = { ...pix2pixRecipes, ...cycleRecipes };
  for (const [name, r] of Object.entries(all)) {
    it(`${name}: in the catalog; builds; a step trains without leaking`, async () => {
      expect(recipeNames()).toContain(name);
      expect(r.name).toBe(name);
      seedGlobalRandom(r.seed);
      const run = await r.create();
      run.step();
      const before = tf.memory().numTensors;
      const m = run.step();
      expect(tf.memory().numTensors).toBe(before);
      for (const v of Object.values(m)) expect(Number.isFinite(v)).toBe(true);
      if (name.startsWith("pix2pix-")) expect(m.l1G).toBeGreaterThan(0);
      if (name.startsWith("l1-")) expect(Object.keys(run.models)).toEqual(["generator"]);
      if (name.startsWith("cyclegan")) {
        if (name.endsWith("-nocycle")) expect(m.cycleG).toBeUndefined();
        else expect(m.cycleG).toBeGreaterThan(0);
        const dense = run.models.generatorAB.layers.some((l) => l.name === "bottleneck_dense");
        expect(dense).toBe(name.includes("-dense"));
      }
      run.dispose?.();
    });
  }

  it("CycleGAN's translators have no skip connections; the runs differ only in λ and the bottleneck", () => {
    const m = cycleGanDigitsModels();
    expect(m.generatorAB.layers.some((l) => l.getClassName() === "Concatenate")).toBe(false);
    expect(m.generatorAB.name).not.toBe(m.generatorBA.name);
    expect(CYCLEGAN_DIGITS_CONFIG.lambdaCycle).toBe(10);
    expect(cycleRecipes["cyclegan-digits"].steps).toBe(cycleRecipes["cyclegan-digits-nocycle"].steps);
    const dense = cycleGanDigitsModels({ dense: true });
    expect(dense.generatorAB.getLayer("bottleneck_dense").outputShape).toEqual([null, CYCLEGAN_DIGITS_CONFIG.denseBottleneck]);
    expect(dense.generatorAB.layers.some((l) => l.getClassName() === "Concatenate")).toBe(false);
    expect(cycleRecipes["cyclegan-digits-dense"].steps).toBe(cycleRecipes["cyclegan-digits"].steps);
    expect(cycleRecipes["cyclegan-digits-dense-nocycle"].steps).toBe(cycleRecipes["cyclegan-digits"].steps);
  });
});
