import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { recipe as cgan, CGAN_MNIST_CONFIG } from "../../lib/recipes/cgan-mnist";
import { recipe as acgan } from "../../lib/recipes/acgan-mnist";
import { classHeadAccuracy } from "../../lib/recipes/conditional-evaluation";
import { recipe as infogan } from "../../lib/recipes/infogan-mnist";
import { recipeNames } from "../../lib/recipes";
import { seedGlobalRandom } from "../../lib/random";
import { useWasm } from "../backend/helpers";

// wasm with the course's kernels: the engine the recipes train on (conv steps on cpu take minutes)
beforeAll(useWasm);

describe("lesson 08 recipes", () => {
  for (const r of [cgan, acgan, infogan]) {
    it(`${r.name}: in the catalog; builds its models; a step trains without leaking`, async () => {
      expect(recipeNames()).toContain(r.name);
      seedGlobalRandom(r.seed);
      const run = await r.create();
      expect(Object.keys(run.models).sort()).toEqual(["discriminator", "generator"]);
      expect(Object.keys(run.optimizers).sort()).toEqual(["discriminator", "generator"]);
      expect(run.batchSize).toBe(32);
      run.step();
      const before = tf.memory().numTensors;
      const m = run.step();
      expect(tf.memory().numTensors).toBe(before);
      expect(Number.isFinite(m.lossD) && Number.isFinite(m.lossG)).toBe(true);
      if (r === acgan) expect(m.classD).toBeGreaterThan(0);
      if (r === infogan) expect(m.infoG).toBeGreaterThan(0);
      run.dispose?.();
    });
  }

  it("the cGAN takes one-hot labels and projects them in D; ACGAN's D has a class head", async () => {
    expect(CGAN_MNIST_CONFIG).toMatchObject({ labelInput: "onehot", combine: "projection" });
    seedGlobalRandom(1);
    const run = await acgan.create();
    expect(run.models.discriminator.outputs.map((o) => o.shape)).toEqual([[null, 1], [null, 10]]);
    const x = tf.zeros([4, 28, 28, 1]);
    const acc = classHeadAccuracy(run.models.discriminator, x, tf.tensor1d([0, 1, 2, 3], "int32"));
    expect(acc >= 0 && acc <= 1).toBe(true);
    run.dispose?.();
  });
});
