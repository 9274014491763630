import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { generatorLogitGradients, logit, nonSaturatingLogitGrad, saturatingLogitGrad } from "../../lib/theory/saturation";
import { minimaxLoss, nonSaturatingLoss } from "../../lib/losses";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("generator gradients with respect to the logit", () => {
  const ds = [1e-4, 0.01, 0.3, 0.5, 0.9];
  it("closed forms: −D (saturating) and −(1 − D) (non-saturating)", () => {
    expect(saturatingLogitGrad(0.2)).toBe(-0.2);
    expect(nonSaturatingLogitGrad(0.2)).toBe(-0.8);
    for (const d of ds) expect(1 / (1 + Math.exp(-logit(d)))).toBeCloseTo(d, 12);
  });
  it("match automatic differentiation of lib's losses", () => {
    const logits = ds.map(logit);
    const sat = generatorLogitGradients(minimaxLoss, logits);
    const ns = generatorLogitGradients(nonSaturatingLoss, logits);
    ds.forEach((d, i) => {
      expect(sat[i]).toBeCloseTo(saturatingLogitGrad(d), 5);
      expect(ns[i]).toBeCloseTo(nonSaturatingLogitGrad(d), 5);
    });
  });
  it("the saturating signal vanishes where D rejects the fakes", () => {
    expect(Math.abs(saturatingLogitGrad(1e-4)) / Math.abs(nonSaturatingLogitGrad(1e-4))).toBeLessThan(1e-3);
  });
});
