import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { inceptionScore } from "../../lib/metrics/inception-score";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const oneHot = (k: number, K: number) => Array.from({ length: K }, (_, j) => (j === k ? 1 : 0));

describe("inceptionScore", () => {
  it("one-hot predictions balanced over 10 classes score 10", () => {
    const probs = Array.from({ length: 100 }, (_, i) => oneHot(i % 10, 10));
    expect(inceptionScore(probs).mean).toBeCloseTo(10, 10);
  });

  it("uniform predictions score 1", () => {
    const probs = Array.from({ length: 50 }, () => new Array(10).fill(0.1));
    expect(inceptionScore(probs).mean).toBeCloseTo(1, 10);
  });

  it("predictions collapsed to one class score 1, however confident", () => {
    const probs = Array.from({ length: 50 }, () => oneHot(3, 10));
    expect(inceptionScore(probs).mean).toBeCloseTo(1, 10);
  });

  it("matches exp(mean KL(p(y|x) ‖ p(y))) on a hand-sized example", () => {
    const probs = [
      [0.9, 0.1],
      [0.2, 0.8],
      [0.6, 0.4],
    ];
    const py = [(0.9 + 0.2 + 0.6) / 3, (0.1 + 0.8 + 0.4) / 3];
    const kl = (p: number[]) => p.reduce((s, pi, j) => s + pi * Math.log(pi / py[j]), 0);
    const expected = Math.exp((kl(probs[0]) + kl(probs[1]) + kl(probs[2])) / 3);
    expect(inceptionScore(probs).mean).toBeCloseTo(expected, 12);
  });

  it("splits: scores each consecutive group and reports mean ± population std", () => {
    // First half: balanced one-hot over 4 classes (IS 4); second half: collapsed (IS 1).
    const probs = [...Array.from({ length: 8 }, (_, i) => oneHot(i % 4, 4)), ...Array.from({ length: 8 }, () => oneHot(0, 4))];
    const r = inceptionScore(probs, { splits: 2 });
    expect(r.scores[0]).toBeCloseTo(4, 10);
    expect(r.scores[1]).toBeCloseTo(1, 10);
    expect(r.mean).toBeCloseTo(2.5, 10);
    expect(r.std).toBeCloseTo(1.5, 10);
  });

  it("accepts a tensor and leaks nothing", () => {
    const t = tf.tensor2d(Array.from({ length: 20 }, (_, i) => oneHot(i % 5, 5)));
    const before = tf.memory().numTensors;
    expect(inceptionScore(t).mean).toBeCloseTo(5, 5);
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });

  it("rejects logits and bad split counts", () => {
    expect(() => inceptionScore([[2.0, -1.0]])).toThrow(/softmax/);
    expect(() => inceptionScore([[0.5, 0.5]], { splits: 2 })).toThrow(/splits/);
  });
});
