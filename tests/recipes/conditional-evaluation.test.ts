import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../lib/backend/select";
import * as tf from "@tensorflow/tfjs";
import { conditionalSampler, correlation, evaluateConditionalGenerator, evaluateInfogan, strokeGeometry } from "../../lib/recipes/conditional-evaluation";
import { conditionalGenerator } from "../../lib/models/conditional";
import { infoganDiscriminator, infoganGenerator } from "../../lib/models/infogan";
import { loadMnist } from "../../lib/data/mnist";
import { seedGlobalRandom } from "../../lib/random";

beforeAll(async () => {
  await initBackend("wasm"); // the reference classifier's convolutions are slow on the cpu backend
});

/** A 28×28 image with a straight line of ink from (top, x0) to (bottom, x1). */
function line(x0: number, x1: number, thickness = 1): tf.Tensor4D {
  const v = new Float32Array(784).fill(-1);
  for (let y = 4; y < 24; y++) {
    const x = Math.round(x0 + ((x1 - x0) * (y - 4)) / 19);
    for (let t = 0; t < thickness; t++) v[y * 28 + x + t] = 1;
  }
  return tf.tensor4d(v, [1, 28, 28, 1]);
}

describe("stroke geometry", () => {
  it("reads slant, width and ink from image moments", () => {
    const g = strokeGeometry(tf.concat([line(14, 14), line(10, 18), line(18, 10), line(14, 14, 3)]));
    expect(Math.abs(g.slant[0])).toBeLessThan(1e-6);
    expect(g.slant[1]).toBeGreaterThan(0.3); // leans like "\"
    expect(g.slant[2]).toBeLessThan(-0.3); // leans like "/"
    expect(g.slant[1]).toBeCloseTo(-g.slant[2], 5);
    expect(g.width[1]).toBeGreaterThan(g.width[0]);
    expect(g.ink[3]).toBeCloseTo(3 * g.ink[0], 5);
  });

  it("correlation is Pearson's r", () => {
    expect(correlation([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 10);
    expect(correlation([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 10);
    expect(correlation([1, 2, 3, 4], [1, -1, -1, 1])).toBeCloseTo(0, 10);
  });
});

describe("conditional generator evaluation (with the reference classifier)", () => {
  it("a 'generator' that returns real digits of the asked class scores near the classifier's accuracy", async () => {
    const mnist = loadMnist();
    const labels = Array.from(mnist.test.labels.dataSync());
    const byClass = Array.from({ length: 10 }, (_, k) => labels.flatMap((y, i) => (y === k ? [i] : [])));
    const counters = new Array(10).fill(0);
    const cheat = (want: tf.Tensor1D) => tf.gather(mnist.test.images, Array.from(want.dataSync()).map((k) => byClass[k][counters[k]++ % byClass[k].length]));
    const real = mnist.test.images.slice(0, 300);
    const r = await evaluateConditionalGenerator(cheat, real, { perClass: 20 });
    expect(r.n).toBe(200);
    expect(r.accuracy).toBeGreaterThan(0.95);
    expect(r.perClassAccuracy.length).toBe(10);
    expect(r.fid).toBeLessThan(30);
    // An untrained generator draws nothing recognisable: low accuracy, high FID; the sampler leaks nothing.
    seedGlobalRandom(1);
    const G = conditionalGenerator({ baseChannels: 4 });
    const before = tf.memory().numTensors;
    const sample = conditionalSampler(G);
    const x = sample(tf.tensor1d([1, 2], "int32"));
    expect(x.shape).toEqual([2, 28, 28, 1]);
    x.dispose();
    expect(tf.memory().numTensors).toBe(before + 1); // the labels tensor above
    const untrained = await evaluateConditionalGenerator(sample, real, { perClass: 20 });
    expect(untrained.accuracy).toBeLessThan(0.4);
    expect(untrained.fid).toBeGreaterThan(r.fid);
  }, 600_000);

  it("InfoGAN evaluation returns matchings, accuracies in [0, 1] and a correlation per continuous code", async () => {
    const mnist = loadMnist();
    seedGlobalRandom(2);
    const cfg = { baseChannels: 4, qHidden: 8 };
    const [G, D] = [infoganGenerator(cfg), infoganDiscriminator(cfg)];
    const real = { images: mnist.test.images.slice(0, 200), labels: mnist.test.labels.slice(0, 200) as tf.Tensor1D };
    const before = tf.memory().numTensors;
    const r = await evaluateInfogan(G, D, {}, real, { perCategory: 20 });
    expect(r.mappingGenerated.length).toBe(10);
    expect(new Set(r.mappingReal).size).toBe(10);
    for (const a of [r.matchedAccuracyGenerated, r.matchedAccuracyReal]) expect(a >= 0.1 && a <= 1).toBe(true); // a matching is never below chance of the best class
    expect(r.continuous.length).toBe(2);
    expect(Number.isFinite(r.fid)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  }, 600_000);
});
