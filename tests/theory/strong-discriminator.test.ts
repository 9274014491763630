import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { strongDiscriminatorRun } from "../../lib/theory/strong-discriminator";
import { minimaxLoss, nonSaturatingLoss } from "../../lib/losses";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("strong-discriminator experiment", () => {
  const small = { seed: 7, hidden: [16, 16], batchSize: 64, pretrainSteps: 150, steps: 60, evalEvery: 20, evalSamples: 500 };
  it("same seed ⇒ same start; the saturating generator's gradient is orders of magnitude smaller", async () => {
    const before = tf.memory().numTensors;
    const sat = await strongDiscriminatorRun({ ...small, loss: minimaxLoss });
    const ns = await strongDiscriminatorRun({ ...small, loss: nonSaturatingLoss });
    expect(tf.memory().numTensors).toBe(before);
    expect(sat.dFakeStart).toBe(ns.dFakeStart);
    expect(sat.dFakeStart).toBeLessThan(0.05);
    expect(sat.w1[0]).toBe(ns.w1[0]);
    expect(sat.gradNormG).toHaveLength(60);
    expect(sat.evalSteps).toEqual([0, 20, 40, 60]);
    expect(ns.gradNormG[0] / sat.gradNormG[0]).toBeGreaterThan(10);
    expect(sat.w1[3]).toBeGreaterThan(0.9 * sat.w1[0]); // the saturating generator barely moves
    expect(ns.w1[3]).toBeLessThan(0.5 * sat.w1[3]);
  });
  it("is deterministic", async () => {
    const a = await strongDiscriminatorRun({ ...small, steps: 10, loss: nonSaturatingLoss });
    const b = await strongDiscriminatorRun({ ...small, steps: 10, loss: nonSaturatingLoss });
    expect(a.gradNormG).toEqual(b.gradNormG);
    expect(a.w1).toEqual(b.w1);
  });
});
