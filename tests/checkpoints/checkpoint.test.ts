import { beforeAll, describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { loadCheckpoint, restoreInto, saveCheckpoint, CheckpointState } from "../../lib/checkpoints";
import { GanTrainer } from "../../lib/train";
import { nonSaturatingLoss } from "../../lib/losses";
import { mlpDiscriminator, mlpGenerator } from "../../lib/models/mlp";
import { seedGlobalRandom } from "../../lib/random";
import { getRecipe, recipeNames } from "../../lib/recipes";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const state = (step: number): CheckpointState => ({ name: "t", step, seed: 0, wallSeconds: 1, backend: "cpu", batchSize: 16, savedAt: "now" });
const weightsOf = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
const makeTrainer = () => {
  seedGlobalRandom(3); // same initial weights every time
  return new GanTrainer({ generator: mlpGenerator({ latentDim: 2, dataDim: 2, hidden: [8] }), discriminator: mlpDiscriminator({ dataDim: 2, hidden: [8] }), loss: nonSaturatingLoss, latentDim: 2, batchSize: 16 });
};
const sampleReal = (n: number) => ({ x: tf.randomNormal([n, 2], 1, 0.1) });

describe("checkpoints", () => {
  it("round-trips models, state and metrics", async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ckpt-")), "t");
    const trainer = makeTrainer();
    await saveCheckpoint(dir, { state: state(5), models: { generator: trainer.generator }, metrics: { fid: 1.5 } });
    const ckpt = await loadCheckpoint(dir);
    expect(ckpt.state.step).toBe(5);
    expect(ckpt.metrics).toEqual({ fid: 1.5 });
    expect(weightsOf(ckpt.models.generator)).toEqual(weightsOf(trainer.generator));
    const z = tf.randomNormal([4, 2]);
    expect(Array.from((ckpt.models.generator.predict(z) as tf.Tensor).dataSync())).toEqual(Array.from((trainer.generator.predict(z) as tf.Tensor).dataSync()));
  });

  it("resumes exactly: restored weights and Adam moments continue like the original run", async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ckpt-")), "t");
    const a = makeTrainer();
    await a.train({ steps: 3, sampleReal });
    await saveCheckpoint(dir, { state: state(3), models: { generator: a.generator, discriminator: a.discriminator }, optimizers: { g: a.optimizerG, d: a.optimizerD } });
    seedGlobalRandom(99);
    await a.train({ steps: 3, sampleReal });

    const b = makeTrainer();
    const restored = await restoreInto(dir, { generator: b.generator, discriminator: b.discriminator }, { g: b.optimizerG, d: b.optimizerD });
    expect(restored.step).toBe(3);
    seedGlobalRandom(99);
    await b.train({ steps: 3, sampleReal });
    const wa = weightsOf(a.generator).flat();
    const wb = weightsOf(b.generator).flat();
    wa.forEach((v, i) => expect(wb[i]).toBeCloseTo(v, 6));
  });

  it("names the file and the rebuild command for a missing or corrupt checkpoint", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "ckpt-"));
    await expect(loadCheckpoint(path.join(root, "dcgan-mnist"))).rejects.toThrow(/dcgan-mnist: no such checkpoint\. Rebuild it with: npm run train -- dcgan-mnist/);
    const dir = path.join(root, "ring");
    await saveCheckpoint(dir, { state: state(1), models: { generator: makeTrainer().generator } });
    const bin = path.join(dir, "models", "generator", "weights.bin");
    fs.writeFileSync(bin, Buffer.alloc(10));
    await expect(loadCheckpoint(dir)).rejects.toThrow(/weights\.bin: corrupt \(10 bytes, the manifest needs \d+\)\. Rebuild it with: npm run train -- ring/);
    fs.writeFileSync(path.join(dir, "state.json"), "{oops");
    await expect(loadCheckpoint(dir)).rejects.toThrow(/state\.json: corrupt \(not valid JSON\)/);
  });

  it("the recipe catalog lists recipes and rejects unknown names", () => {
    expect(recipeNames()).toContain("ring-mlp");
    expect(() => getRecipe("nope")).toThrow(/No training recipe named "nope"\. Known: .*ring-mlp/);
  });
});
