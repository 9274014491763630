import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { LeanConv2D, LeanDense, createDcganStep, dcganDiscriminator, dcganGenerator, dcganStepFlops, leanConv2d, leanDense } from "../../lib/models/dcgan";
import { profileKernels } from "../../lib/backend/wasm-kernels/profile";
import { setupLesson } from "../../lib/setup";
import { seedGlobalRandom } from "../../lib/random";

beforeAll(async () => {
  await setupLesson({ backend: "wasm", seed: 1, verbose: false });
});

const count = (m: tf.LayersModel) => m.trainableWeights.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);

describe("DCGAN models (Radford et al. 2015, the benchmark anchor's architecture)", () => {
  it("have the anchor's shapes and parameter counts", () => {
    const G = dcganGenerator(), D = dcganDiscriminator();
    const x = tf.tidy(() => G.predict(tf.randomNormal([3, 100])) as tf.Tensor);
    expect(x.shape).toEqual([3, 28, 28, 1]);
    const v = x.dataSync();
    expect(Math.max(...v)).toBeLessThanOrEqual(1);
    expect(Math.min(...v)).toBeGreaterThanOrEqual(-1);
    const logits = tf.tidy(() => D.predict(x) as tf.Tensor);
    expect(logits.shape).toEqual([3, 1]);
    // PyTorch: Linear 100*6272 (no bias) + BN 2*6272 + ConvT 128*64*16 (no bias) + BN 2*64 + ConvT 64*16 + 1.
    expect(count(G)).toBe(627200 + 12544 + 131072 + 128 + 1024 + 1);
    // Conv 16*64 + 64, Conv 64*128*16 + 128, BN 2*128, Linear 6272 + 1.
    expect(count(D)).toBe(1088 + 131200 + 256 + 6273);
    expect(G.layers.map((l) => l.outputShape)).toContainEqual([null, 14, 14, 64]);
    expect(D.layers.map((l) => l.outputShape)).toContainEqual([null, 7, 7, 128]);
    // 11 convolutions of 822 MFLOP dominate the step: 9.44 GFLOP at batch 64.
    expect(dcganStepFlops(64) / 1e9).toBeCloseTo(9.441, 3);
    tf.dispose([x, logits]);
  });

  it("honour the config: no batch norm, other sizes, a condition input", () => {
    const G = dcganGenerator({ batchNorm: false, baseChannels: 8, imageShape: [32, 32, 3], latentDim: 16, conditionDim: 10 });
    const D = dcganDiscriminator({ batchNorm: false, baseChannels: 8, imageShape: [32, 32, 3], conditionDim: 10 });
    expect(G.layers.some((l) => l.getClassName() === "BatchNormalization")).toBe(false);
    const out = tf.tidy(() => {
      const x = G.predict([tf.randomNormal([2, 16]), tf.oneHot([1, 7], 10).toFloat()]) as tf.Tensor;
      return [x.shape, (D.predict([x, tf.oneHot([1, 7], 10).toFloat()]) as tf.Tensor).shape];
    });
    expect(out).toEqual([[2, 32, 32, 3], [2, 1]]);
    expect(() => dcganGenerator({ imageShape: [30, 30, 1] })).toThrow(/divisible by 4/);
  });

  it("survive a save/load round trip with identical outputs (G, and D with its LeanConv2D layers)", async () => {
    const roundTrip = async (m: tf.LayersModel) => {
      let saved: tf.io.ModelArtifacts | undefined;
      await m.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } }; }));
      return tf.loadLayersModel(tf.io.fromMemory(saved!));
    };
    const G = dcganGenerator({ baseChannels: 4 }), D = dcganDiscriminator({ baseChannels: 4 });
    const [G2, D2] = [await roundTrip(G), await roundTrip(D)];
    expect(D2.layers.filter((l) => l instanceof LeanConv2D).length).toBe(2);
    const z = tf.randomNormal([2, 100]);
    const [a, b] = [G.predict(z) as tf.Tensor, G2.predict(z) as tf.Tensor];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    const [c, d] = [D.predict(a) as tf.Tensor, D2.predict(a) as tf.Tensor];
    expect(Array.from(d.dataSync())).toEqual(Array.from(c.dataSync()));
    tf.dispose([z, a, b, c, d]);
  });
});

describe("LeanConv2D", () => {
  it("computes what tf.layers.conv2d computes, forward and backward", () => {
    const lean = leanConv2d({ filters: 5, kernelSize: 4, strides: 2, padding: "same", init: "dcgan" });
    const ref = tf.layers.conv2d({ filters: 5, kernelSize: 4, strides: 2, padding: "same" });
    const x = tf.randomNormal([2, 9, 9, 3]);
    lean.apply(x);
    ref.apply(x);
    ref.setWeights([lean.getWeights()[0], tf.randomNormal([5])]);
    lean.setWeights(ref.getWeights());
    expect(lean.computeOutputShape([null, 9, 9, 3])).toEqual([null, 5, 5, 5]);
    const run = (layer: tf.layers.Layer) => tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(x) as tf.Tensor)) as tf.Scalar, layer.trainableWeights.map((w) => w.read() as tf.Variable));
      return [value, ...Object.values(grads)].map((t) => Array.from(t.dataSync()));
    });
    const [a, b] = [run(lean), run(ref)];
    a.forEach((v, i) => v.forEach((u, j) => expect(u).toBeCloseTo(b[i][j], 3)));
    expect(new LeanConv2D({ filters: 2, kernelSize: 3, padding: "valid", strides: 2 }).computeOutputShape([1, 9, 8, 1])).toEqual([1, 4, 3, 2]);
    x.dispose();
  });

  it("LeanDense computes what tf.layers.dense computes, forward and backward", () => {
    const lean = leanDense({ units: 7 });
    const ref = tf.layers.dense({ units: 7 });
    const x = tf.randomNormal([5, 11]);
    lean.apply(x);
    ref.apply(x);
    lean.setWeights([ref.getWeights()[0], tf.randomNormal([7])]);
    ref.setWeights(lean.getWeights());
    expect(lean.computeOutputShape([null, 11])).toEqual([null, 7]);
    const run = (layer: tf.layers.Layer) => tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(x) as tf.Tensor)) as tf.Scalar, layer.trainableWeights.map((w) => w.read() as tf.Variable));
      return [value, ...Object.values(grads)].map((t) => Array.from(t.dataSync()));
    });
    const [a, b] = [run(lean), run(ref)];
    a.forEach((v, i) => v.forEach((u, j) => expect(u).toBeCloseTo(b[i][j], 3)));
    expect(new LeanDense({ units: 3, useBias: false }).getConfig()).toMatchObject({ units: 3, useBias: false });
    x.dispose();
  });

  it("lets a DCGAN step compute only the gradients it needs", async () => {
    const step = createDcganStep(dcganGenerator({ baseChannels: 8 }), dcganDiscriminator({ baseChannels: 8 }));
    const xReal = tf.randomUniform([4, 28, 28, 1], -1, 1);
    step.step(xReal);
    const prof = await profileKernels("wasm", () => step.step(xReal));
    const calls = (k: string) => prof.find((p) => p.kernel === k)?.calls ?? 0;
    // Weight gradients: D's two convs in the D update on real and fake data, G's two ConvTs; none of D's in the G update.
    expect(calls("Conv2DBackpropFilter")).toBe(6);
    // Input gradients: G's two ConvT forwards, D's 2nd conv on real and fake, both D convs in the G update.
    expect(calls("Conv2DBackpropInput")).toBe(6);
    // BatchMatMul: G's LeanDense forward and its weight gradient (none for the latent z), plus
    // D's (fused, tf.layers.dense) output layer's two gradients in each of its 3 backward passes.
    expect(calls("BatchMatMul")).toBe(1 + 1 + 3 * 2);
    step.dispose();
    xReal.dispose();
  });
});

describe("the anchor's DCGAN training step on wasm", () => {
  it("leaks no tensors, and reusing G's forward pass equals running it twice", () => {
    const make = () => [dcganGenerator({ baseChannels: 16 }), dcganDiscriminator({ baseChannels: 16 })];
    const [G1, D1] = make(), [G2, D2] = make();
    G2.setWeights(G1.getWeights());
    D2.setWeights(D1.getWeights());
    const xReal = tf.randomUniform([8, 28, 28, 1], -1, 1);
    const reuse = createDcganStep(G1, D1), twice = createDcganStep(G2, D2, { reuseGeneratorForward: false });
    seedGlobalRandom(5);
    reuse.step(xReal); // first step creates the optimizers' slots
    const before = tf.memory().numTensors;
    seedGlobalRandom(6);
    const a = reuse.step(xReal);
    expect(tf.memory().numTensors).toBe(before);

    seedGlobalRandom(5);
    twice.step(xReal);
    seedGlobalRandom(6);
    const b = twice.step(xReal);
    expect(a.lossD).toBeCloseTo(b.lossD, 5);
    expect(a.lossG).toBeCloseTo(b.lossG, 5);
    for (const [m1, m2] of [[G1, G2], [D1, D2]]) {
      m1.trainableWeights.forEach((w, i) => {
        const u = w.read().dataSync(), v = m2.trainableWeights[i].read().dataSync();
        let err = 0;
        for (let k = 0; k < u.length; k++) err = Math.max(err, Math.abs(u[k] - v[k]));
        expect(err, w.name).toBeLessThan(1e-5);
      });
    }
    reuse.dispose();
    twice.dispose();
    xReal.dispose();
  });

  it("trains a tiny conv GAN: the discriminator loss goes down", () => {
    seedGlobalRandom(3);
    const config = { baseChannels: 8, latentDim: 16 };
    const G = dcganGenerator(config), D = dcganDiscriminator(config);
    const step = createDcganStep(G, D, { latentDim: 16, lrD: 1e-3, lrG: 1e-4 });
    // Real data: a bright vertical bar on a dark background (an easy "1").
    const xReal = tf.tidy(() => tf.tile(tf.tensor(Array.from({ length: 28 * 28 }, (_, i) => (Math.abs((i % 28) - 14) < 3 ? 1 : -1)), [1, 28, 28, 1]), [16, 1, 1, 1]));
    const losses: number[] = [];
    for (let i = 0; i < 12; i++) losses.push(step.step(xReal).lossD);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[0]).toBeGreaterThan(1.2); // ~log 4 at start
    expect(Math.min(...losses.slice(-3))).toBeLessThan(losses[0] - 0.3);
    step.dispose();
    xReal.dispose();
  });
});
