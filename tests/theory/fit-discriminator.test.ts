import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { discriminatorFunction, discriminatorProbabilities, fitDiscriminator } from "../../lib/theory/fit-discriminator";
import { mlp } from "../../lib/models/mlp";
import { gaussian1d, sampleMixture } from "../../lib/data/mixture1d";
import { createRng, seedGlobalRandom } from "../../lib/random";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("fitDiscriminator", () => {
  it("a logistic discriminator learns D* = σ(−2x) for N(−1, 1) vs N(1, 1), without leaking tensors", () => {
    seedGlobalRandom(0);
    const rng = createRng(0);
    const d = mlp({ inputDim: 1, outputDim: 1, hidden: [] }); // logit = w x + b
    const before = tf.memory().numTensors;
    const losses = fitDiscriminator({ discriminator: d, sampleReal: (n) => sampleMixture(gaussian1d(-1, 1), n, rng), sampleFake: (n) => sampleMixture(gaussian1d(1, 1), n, rng), steps: 400, batchSize: 256, lr: 0.05 });
    expect(tf.memory().numTensors).toBe(before);
    expect(losses).toHaveLength(400);
    const [w, b] = d.getWeights().map((t) => t.dataSync()[0]);
    expect(w).toBeCloseTo(-2, 0);
    expect(Math.abs(b)).toBeLessThan(0.2);
    const probs = discriminatorProbabilities(d, [-1, 0, 1]);
    expect(probs[1]).toBeCloseTo(0.5, 1);
    expect(probs[0]).toBeGreaterThan(0.8);
    const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
    expect(mean(losses.slice(-50))).toBeLessThan(mean(losses.slice(0, 10)));
    const f = discriminatorFunction(d, [-3, 3], 601);
    expect(f(0.5)).toBeCloseTo(discriminatorProbabilities(d, [0.5])[0], 4);
    expect(f(-10)).toBeCloseTo(discriminatorProbabilities(d, [-3])[0], 6);
  });
});
