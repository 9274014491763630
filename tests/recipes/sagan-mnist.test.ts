import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { SAGAN_BUDGET, SAGAN_VARIANTS, recipes, saganTrainer } from "../../lib/recipes/sagan-mnist";
import { recipeNames } from "../../lib/recipes";
import { attentionLayers, spectralNormLayers } from "../../lib/models/sagan";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const hasBn = (m: tf.LayersModel) => m.layers.some((l) => l.getClassName() === "BatchNormalization");

describe("SAGAN comparison recipes", () => {
  it("are all in the catalog with one budget and one seed", () => {
    for (const name of Object.keys(SAGAN_VARIANTS)) {
      expect(recipeNames()).toContain(name); // (the catalog's lazy require of .ts sources needs tsx, not vitest)
      const r = recipes[name];
      expect(r.name).toBe(name);
      expect([r.steps, r.seed]).toEqual([SAGAN_BUDGET.steps, SAGAN_BUDGET.seed]);
    }
  });

  it("differ from the full SAGAN in exactly the ablated part", () => {
    const built = Object.fromEntries(Object.entries(SAGAN_VARIANTS).map(([k, v]) => [k, { ...v.models(), training: v.training }]));
    const full = built["sagan-mnist"];
    expect(full.training).toMatchObject({ lrD: 4e-4, lrG: 1e-4, beta1: 0, beta2: 0.9 });
    expect(full.training.loss!.name).toBe("hinge");
    for (const m of [full.generator, full.discriminator]) {
      expect(attentionLayers(m).length).toBe(1);
      expect(spectralNormLayers(m).length).toBe(3);
    }
    const noAttention = built["sagan-mnist-no-attention"];
    expect(attentionLayers(noAttention.generator).length + attentionLayers(noAttention.discriminator).length).toBe(0);
    expect(spectralNormLayers(noAttention.discriminator).length).toBe(3);
    expect(noAttention.training).toEqual(full.training);
    const noSn = built["sagan-mnist-no-sn"];
    expect(spectralNormLayers(noSn.generator).length + spectralNormLayers(noSn.discriminator).length).toBe(0);
    expect(attentionLayers(noSn.discriminator)[0].spectralNorm).toBe(false);
    expect(noSn.training).toEqual(full.training);
    const noTtur = built["sagan-mnist-no-ttur"];
    expect(noTtur.training.lrD).toBe(noTtur.training.lrG);
    expect(noTtur.generator.countParams()).toBe(full.generator.countParams());
    const dcgan = built["dcgan-mnist-small"];
    expect(dcgan.training.loss!.name).not.toBe("hinge");
    expect(hasBn(dcgan.generator) && hasBn(dcgan.discriminator)).toBe(true);
    expect(hasBn(full.discriminator)).toBe(false);
    // "Same size": the DCGAN has the SAGAN's parameters minus the attention blocks' (within 10%).
    expect(Math.abs(dcgan.generator.countParams() - noAttention.generator.countParams()) / noAttention.generator.countParams()).toBeLessThan(0.1);
  });

  it("builds its trainer with the budget's batch and 1:1 updates", () => {
    const t = saganTrainer(SAGAN_VARIANTS["sagan-mnist"]);
    expect([t.config.batchSize, t.config.nCritic, t.config.latentDim]).toEqual([SAGAN_BUDGET.batchSize, 1, SAGAN_BUDGET.latentDim]);
    t.dispose();
  });
});
