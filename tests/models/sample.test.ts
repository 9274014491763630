import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { sampleGenerator } from "../../lib/models/sample";

describe("sampleGenerator", () => {
  it("draws n samples in batches (the last one short), in inference mode, without leaking", () => {
    const x = tf.input({ shape: [3] });
    const g = tf.model({ inputs: x, outputs: tf.layers.reshape({ targetShape: [1, 3, 1] }).apply(tf.layers.dense({ units: 3, activation: "tanh" }).apply(x)) as tf.SymbolicTensor });
    const before = tf.memory().numTensors;
    const s = sampleGenerator(g, 7, 3); // batches of 3, 3, 1
    expect(s.shape).toEqual([7, 1, 3, 1]);
    const values = Array.from(s.dataSync());
    expect(values.every((v) => v > -1 && v < 1)).toBe(true); // tanh outputs
    expect(new Set(values).size).toBe(values.length); // fresh z for every sample
    s.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
