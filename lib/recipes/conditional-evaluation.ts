/**
 * The evaluation protocol of the class-conditional generators of lesson 08 (cGAN, ACGAN) and of
 * InfoGAN's codes, measured with the reference classifier (lib/reference):
 *
 *   accuracy            fraction of samples G(z | y) the classifier reads as y (Odena et al. 2017 §4.1),
 *                       with `perClass` samples of every class, and per class;
 *   fid                 Fréchet distance of those samples to the held-out digits (classifier features);
 *   InfoGAN             the best one-to-one matching of the categorical code to digits (Hungarian
 *                       algorithm, lib/metrics): for generated digits (code vs the classifier's
 *                       reading) and for real held-out digits (Q's reading vs the true label), and
 *                       how the continuous codes move stroke slant and width (`strokeGeometry`).
 */
import * as tf from "@tensorflow/tfjs";
import { argmaxLabels, bestMatchingAccuracy, conditionalAccuracy } from "../metrics/classifier-accuracy";
import { oneHotLabels } from "../models/conditional";
import { InfoGanCodes, infoganInferCodes, infoganLatent, resolveCodes } from "../models/infogan";
import { loadClassifier } from "../reference/classifier";
import { createRng } from "../random";

export interface ConditionalEvaluation {
  accuracy: number;
  perClassAccuracy: number[];
  fid: number;
  n: number;
}

/**
 * Draw `perClass` samples of each of `nClasses` classes with `generate(labels)` (labels [n] int32,
 * class-major order) and measure them against `real` held-out digits.
 */
export async function evaluateConditionalGenerator(
  generate: (labels: tf.Tensor1D) => tf.Tensor,
  real: tf.Tensor,
  options: { nClasses?: number; perClass?: number; batchSize?: number } = {},
): Promise<ConditionalEvaluation> {
  const clf = await loadClassifier();
  const nClasses = options.nClasses ?? 10;
  const perClass = options.perClass ?? 200;
  const batchSize = options.batchSize ?? 500;
  const wanted = Array.from({ length: nClasses * perClass }, (_, i) => Math.floor(i / perClass));
  const parts: tf.Tensor[] = [];
  for (let start = 0; start < wanted.length; start += batchSize) {
    const labels = tf.tensor1d(wanted.slice(start, start + batchSize), "int32");
    parts.push(generate(labels));
    labels.dispose();
  }
  const images = tf.concat(parts);
  tf.dispose(parts);
  try {
    const predicted = clf.predict(images);
    const right = new Array<number>(nClasses).fill(0);
    predicted.forEach((p, i) => {
      if (p === wanted[i]) right[wanted[i]]++;
    });
    return {
      accuracy: right.reduce((s, v) => s + v, 0) / wanted.length,
      perClassAccuracy: right.map((r) => r / perClass),
      fid: clf.fid(images, real),
      n: wanted.length,
    };
  } finally {
    images.dispose();
  }
}

/** `generate` for a conditional generator G([z, y]) with one-hot or id labels, in inference mode. */
export function conditionalSampler(generator: tf.LayersModel, options: { latentDim?: number; nClasses?: number; labelInput?: "onehot" | "embedding" } = {}): (labels: tf.Tensor1D) => tf.Tensor {
  const latentDim = options.latentDim ?? (generator.inputs[0].shape[1] as number);
  const nClasses = options.nClasses ?? 10;
  const labelInput = options.labelInput ?? ((generator.inputs[1].shape[1] as number) === 1 ? "embedding" : "onehot");
  return (labels) => tf.tidy(() => {
    const y = labelInput === "onehot" ? oneHotLabels(labels, nClasses) : tf.reshape(tf.cast(labels, "float32"), [-1, 1]);
    return generator.apply([tf.randomNormal([labels.shape[0], latentDim]), y], { training: false }) as tf.Tensor;
  });
}

/** Accuracy of an ACGAN discriminator's class head (output [1]) on labelled images (ACGAN's D is also a classifier). */
export function classHeadAccuracy(discriminator: tf.LayersModel, images: tf.Tensor, labels: tf.Tensor1D): number {
  const logits = (discriminator.predict(images, { batchSize: 500 }) as tf.Tensor[])[1] as tf.Tensor2D; // [n, nClasses]
  const predicted = argmaxLabels(logits);
  logits.dispose();
  return conditionalAccuracy(predicted, labels);
}

/**
 * Per image, the geometry of its ink (pixel values mapped to [0, 1] as weights):
 *   slant  = μ₁₁ / μ₀₂, the horizontal shift of the ink per row going down (the shear of the
 *            digit; positive leans like "\", negative like "/"), from second-order central moments;
 *   width  = √(μ₂₀ / m), the horizontal standard deviation of the ink, in pixels;
 *   ink    = m / (h·w), the fraction of the image covered (thicker strokes, more ink).
 */
export function strokeGeometry(images: tf.Tensor): { slant: number[]; width: number[]; ink: number[] } {
  const [n, h, w] = images.shape;
  const ink01 = tf.tidy(() => tf.div(tf.add(tf.reshape(images, [n, h, w]), 1), 2));
  const values = ink01.dataSync() as Float32Array;
  ink01.dispose();
  const slant: number[] = [], width: number[] = [], ink: number[] = [];
  for (let k = 0; k < n; k++) {
    let m = 0, sx = 0, sy = 0;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const v = values[(k * h + y) * w + x];
      m += v; sx += v * x; sy += v * y;
    }
    const cx = sx / Math.max(m, 1e-9), cy = sy / Math.max(m, 1e-9);
    let mu20 = 0, mu02 = 0, mu11 = 0;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const v = values[(k * h + y) * w + x];
      mu20 += v * (x - cx) ** 2; mu02 += v * (y - cy) ** 2; mu11 += v * (x - cx) * (y - cy);
    }
    slant.push(mu11 / Math.max(mu02, 1e-9));
    width.push(Math.sqrt(mu20 / Math.max(m, 1e-9)));
    ink.push(m / (h * w));
  }
  return { slant, width, ink };
}

/** Pearson correlation of two equal-length series. */
export function correlation(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n, mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) ** 2; sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

export interface InfoGanEvaluation {
  /** Best-matching accuracy of the code against the classifier's reading of generated digits. */
  matchedAccuracyGenerated: number;
  /** code → digit of that matching. */
  mappingGenerated: number[];
  /** Best-matching accuracy of Q's code for real held-out digits against their true labels. */
  matchedAccuracyReal: number;
  mappingReal: number[];
  fid: number;
  /** For each continuous code: correlation of its value with slant, width and ink of the samples. */
  continuous: { slant: number; width: number; ink: number }[];
}

/** Measure an InfoGAN (G and its D/Q network) with `perCategory` samples per code value. */
export async function evaluateInfogan(
  generator: tf.LayersModel, discriminator: tf.LayersModel, codes: InfoGanCodes,
  real: { images: tf.Tensor; labels: tf.Tensor1D }, options: { perCategory?: number; seed?: number } = {},
): Promise<InfoGanEvaluation> {
  const clf = await loadClassifier();
  const c = resolveCodes(codes);
  const per = options.perCategory ?? 200;
  const categories = Array.from({ length: c.nCategories * per }, (_, i) => Math.floor(i / per));
  const rng = createRng(`infogan-eval-${options.seed ?? 0}`);
  const continuous = categories.map(() => Array.from({ length: c.nContinuous }, () => 2 * rng.uniform() - 1));
  const noise = tf.tidy(() => tf.randomNormal([categories.length, c.noiseDim], 0, 1, "float32", rng.seed())) as tf.Tensor2D;
  const z = infoganLatent(c, { categories, continuous, noise });
  noise.dispose();
  const images = tf.tidy(() => generator.apply(z, { training: false }) as tf.Tensor);
  try {
    const read = Array.from(clf.predict(images));
    const gen = bestMatchingAccuracy(categories, read, c.nCategories, 10);
    const q = infoganInferCodes(discriminator, real.images);
    const onReal = bestMatchingAccuracy(Array.from(q.categories), Array.from(real.labels.dataSync()), c.nCategories, 10);
    const geometry = strokeGeometry(images);
    const perCode = Array.from({ length: c.nContinuous }, (_, j) => {
      const values = continuous.map((row) => row[j]);
      return { slant: correlation(values, geometry.slant), width: correlation(values, geometry.width), ink: correlation(values, geometry.ink) };
    });
    const n = Math.min(real.images.shape[0], images.shape[0]);
    const [a, b] = [tf.slice(images, 0, n), tf.slice(real.images, 0, n)];
    const fid = clf.fid(a, b);
    tf.dispose([a, b]);
    return { matchedAccuracyGenerated: gen.accuracy, mappingGenerated: gen.mapping, matchedAccuracyReal: onReal.accuracy, mappingReal: onReal.mapping, fid, continuous: perCode };
  } finally {
    tf.dispose([z, images]);
  }
}
