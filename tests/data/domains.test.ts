import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { digitDomains, disposeDigitDomains, lowResolution, outline, pairedSampler, relate, thicken, unpairedSampler } from "../../lib/data/domains";
import { MnistData } from "../../lib/data/mnist";
import { createRng } from "../../lib/random";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** A 7x7 image with ink (+1) at the given pixels, paper (−1) elsewhere: [1, 7, 7, 1]. */
function dots(pixels: [number, number][]): tf.Tensor4D {
  const v = new Float32Array(49).fill(-1);
  for (const [y, x] of pixels) v[y * 7 + x] = 1;
  return tf.tensor4d(v, [1, 7, 7, 1]);
}

describe("thicken and outline", () => {
  it("dilates one ink pixel into a plus sign (cross) or a 3x3 square; the image border stays paper", () => {
    const x = dots([[3, 3], [0, 6]]);
    const cross = Array.from(thicken(x).dataSync());
    const square = Array.from(thicken(x, "square").dataSync());
    for (let y = 0; y < 7; y++) {
      for (let c = 0; c < 7; c++) {
        const near = (py: number, px: number, sq: boolean) => (sq ? Math.max(Math.abs(y - py), Math.abs(c - px)) <= 1 : Math.abs(y - py) + Math.abs(c - px) <= 1);
        expect(cross[y * 7 + c]).toBe(near(3, 3, false) || near(0, 6, false) ? 1 : -1);
        expect(square[y * 7 + c]).toBe(near(3, 3, true) || near(0, 6, true) ? 1 : -1);
      }
    }
    expect(() => thicken(x, "disk" as never)).toThrow(/element/);
  });

  it("keeps the ink and only adds ink (never removes a stroke)", () => {
    const x = tf.randomUniform([4, 7, 7, 1], -1, 1, "float32", 3) as tf.Tensor4D;
    expect(tf.all(tf.greaterEqual(thicken(x), x)).dataSync()[0]).toBe(1);
    expect(tf.all(tf.greaterEqual(thicken(x, "square"), thicken(x))).dataSync()[0]).toBe(1);
  });

  it("the outline is the ring the dilation adds", () => {
    const o = Array.from(outline(dots([[3, 3]])).dataSync());
    const ink = o.map((v, i) => (v > 0 ? i : -1)).filter((i) => i >= 0);
    expect(ink.length).toBe(4); // the plus sign minus its centre
    expect(o[3 * 7 + 3]).toBe(-1);
    expect(Array.from(outline(dots([[3, 3]]), "square").dataSync()).filter((v) => v > 0).length).toBe(8);
    expect(() => relate(dots([]), "bogus" as never)).toThrow(/unknown relation/);
  });

  it("the low-resolution copy is the block mean, constant on every block, at the same size", () => {
    const x = tf.randomUniform([3, 8, 8, 1], -1, 1, "float32", 5) as tf.Tensor4D;
    const low = lowResolution(x, 4);
    expect(low.shape).toEqual([3, 8, 8, 1]);
    const lv = low.arraySync() as number[][][][], xv = x.arraySync() as number[][][][];
    for (const [by, bx] of [[0, 0], [0, 4], [4, 0], [4, 4]]) {
      let sum = 0;
      for (let dy = 0; dy < 4; dy++) for (let dx = 0; dx < 4; dx++) sum += xv[1][by + dy][bx + dx][0];
      for (let dy = 0; dy < 4; dy++) for (let dx = 0; dx < 4; dx++) expect(lv[1][by + dy][bx + dx][0]).toBeCloseTo(sum / 16, 5);
    }
    expect(tf.max(tf.abs(tf.sub(relate(x, "lowres"), low))).dataSync()[0]).toBe(0);
    expect(() => lowResolution(x, 3)).toThrow(/factor/);
  });
});

function fakeMnist(nTrain: number, nTest: number): MnistData {
  const make = (n: number, seed: number) => ({
    images: tf.tidy(() => tf.sub(tf.mul(tf.cast(tf.greater(tf.randomUniform([n, 8, 8, 1], 0, 1, "float32", seed), 0.8), "float32"), 2), 1)) as tf.Tensor4D,
    labels: tf.tensor1d(Array.from({ length: n }, (_, i) => i % 10), "int32"),
  });
  return { train: make(nTrain, 1), test: make(nTest, 2), source: "fake" };
}

describe("digitDomains", () => {
  it("pairs every digit with its translation, splits the unpaired halves disjointly, and leaks nothing", () => {
    const mnist = fakeMnist(40, 10);
    const before = tf.memory().numTensors;
    const d = digitDomains(mnist);
    expect(d.paired.a.shape).toEqual([40, 8, 8, 1]);
    expect(tf.max(tf.abs(tf.sub(d.paired.b, thicken(d.paired.a)))).dataSync()[0]).toBe(0);
    expect(tf.max(tf.abs(tf.sub(d.test.b, thicken(mnist.test.images)))).dataSync()[0]).toBe(0);
    expect(Array.from(d.test.labels.dataSync())).toEqual(Array.from(mnist.test.labels.dataSync()));
    expect(d.unpaired.a.shape[0]).toBe(20);
    expect(d.unpaired.b.shape[0]).toBe(20);
    // No digit of A has its own thickened version among B: match rows of A against the sources of B.
    const flatA = (d.unpaired.a.reshape([20, 64]).arraySync() as number[][]).map((r) => r.join());
    const train = (mnist.train.images.reshape([40, 64]).arraySync() as number[][]).map((r) => r.join());
    const bRows = (d.unpaired.b.reshape([20, 64]).arraySync() as number[][]).map((r) => r.join());
    const thickTrain = (thicken(mnist.train.images).reshape([40, 64]).arraySync() as number[][]).map((r) => r.join());
    const sourcesOfB = new Set(bRows.map((r) => thickTrain.indexOf(r)));
    const sourcesOfA = new Set(flatA.map((r) => train.indexOf(r)));
    for (const i of sourcesOfA) expect(sourcesOfB.has(i)).toBe(false);
    disposeDigitDomains(d);
    const n0 = tf.memory().numTensors;
    disposeDigitDomains(digitDomains(mnist));
    expect(tf.memory().numTensors).toBe(n0);
    expect(before).toBeGreaterThan(0);
  });

  it("builds the same halves for the same seed", () => {
    const mnist = fakeMnist(20, 4);
    const d1 = digitDomains(mnist, { seed: 3 });
    const d2 = digitDomains(mnist, { seed: 3 });
    expect(Array.from(d1.unpaired.labelsA.dataSync())).toEqual(Array.from(d2.unpaired.labelsA.dataSync()));
    disposeDigitDomains(d1);
    disposeDigitDomains(d2);
  });
});

describe("samplers", () => {
  it("paired batches keep rows aligned; unpaired batches draw A and B independently", () => {
    const src = tf.tensor4d(Array.from({ length: 10 }, (_, i) => i), [10, 1, 1, 1]);
    const tgt = tf.mul(src, 100) as tf.Tensor4D;
    const paired = pairedSampler(src, tgt, createRng(1));
    for (let k = 0; k < 3; k++) {
      const b = paired(4);
      expect(Array.from(b.x.dataSync())).toEqual(Array.from(b.source.dataSync()).map((v) => 100 * v));
      tf.dispose([b.x, b.source]);
    }
    expect(() => paired(11)).toThrow(/only 10 pairs/);
    const before = tf.memory().numTensors;
    const unpaired = unpairedSampler(src, tgt, createRng(2));
    const u = unpaired(6);
    expect(u.a.shape).toEqual([6, 1, 1, 1]);
    expect(Array.from(u.b.dataSync()).every((v) => v % 100 === 0)).toBe(true);
    const aligned = Array.from(u.a.dataSync()).every((v, i) => u.b.dataSync()[i] === 100 * v);
    expect(aligned).toBe(false);
    tf.dispose([u.a, u.b]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
