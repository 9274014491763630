/**
 * Improved precision and recall (Kynkäänniemi, Karras, Laine, Lehtinen & Aila 2019, "Improved
 * Precision and Recall Metric for Assessing Generative Models", §2).
 *
 * The real manifold is approximated by the union of balls around every real feature vector, each
 * with radius = distance to its k-th nearest real neighbour (k = 3 in the paper). Then
 *   precision = fraction of generated samples that fall inside at least one real ball  (quality)
 *   recall    = fraction of real samples that fall inside at least one generated ball  (coverage)
 * where the generated balls are built the same way from the generated set. A mode-collapsed GAN
 * keeps precision high while recall drops; a blurry one loses precision.
 *
 * Distances are computed with tf matMul on blocks of rows (see distances.ts); memory is
 * O(chunkSize · N). Intended for N up to a few thousand feature vectors.
 */
import * as tf from "@tensorflow/tfjs";
import { centerTogether, forEachDistanceChunk } from "./distances";
import { Points, withTensor } from "./points";

export interface PrecisionRecallConfig {
  /** Neighbourhood size for the radii. Default 3 (the paper's choice). */
  k?: number;
  /** Rows per distance block. Default 512. */
  chunkSize?: number;
}

export interface PrecisionRecallResult {
  precision: number;
  recall: number;
}

/** Squared distance from every point of `x` [n, d] to its k-th nearest neighbour in `x` (itself excluded). */
export function kthNeighbourSqRadii(x: tf.Tensor2D, k: number, chunkSize = 512): Float32Array {
  const n = x.shape[0];
  if (!Number.isInteger(k) || k < 1 || k >= n) throw new Error(`k must be an integer in [1, ${n - 1}], got ${k}`);
  const radii = new Float32Array(n);
  forEachDistanceChunk(x, x, chunkSize, (dist, start) => {
    // The k+1 smallest distances of each row include the point itself (distance 0).
    const kth = tf.tidy(() => {
      const { values } = tf.topk(tf.neg(dist), k + 1); // [rows, k+1], largest of −d = smallest d
      return tf.neg(tf.slice(values, [0, k], [-1, 1])); // [rows, 1]
    });
    radii.set(kth.dataSync(), start);
    kth.dispose();
  });
  return radii;
}

/** Fraction of `queries` that lie within at least one ball (center `centers[i]`, squared radius sqRadii[i]). */
export function fractionInsideBalls(queries: tf.Tensor2D, centers: tf.Tensor2D, sqRadii: Float32Array, chunkSize = 512): number {
  const r2 = tf.tensor2d(sqRadii, [1, sqRadii.length]); // [1, m]
  let inside = 0;
  try {
    forEachDistanceChunk(queries, centers, chunkSize, (dist) => {
      const count = tf.tidy(() => tf.sum(tf.cast(tf.any(tf.lessEqual(dist, r2), 1), "int32")));
      inside += count.dataSync()[0];
      count.dispose();
    });
  } finally {
    r2.dispose();
  }
  return inside / queries.shape[0];
}

/** Improved precision and recall of generated features against real features (both [n, d]). */
export function precisionRecall(realFeatures: Points, fakeFeatures: Points, config: PrecisionRecallConfig = {}): PrecisionRecallResult {
  const k = config.k ?? 3;
  const chunk = config.chunkSize ?? 512;
  return withTensor(realFeatures, "precisionRecall(real)", (real) =>
    withTensor(fakeFeatures, "precisionRecall(fake)", (fake) => {
      if (real.shape[1] !== fake.shape[1]) {
        throw new Error(`precisionRecall: feature dimensions differ (${real.shape[1]} vs ${fake.shape[1]})`);
      }
      const [r, f] = centerTogether(real, fake);
      try {
        const realRadii = kthNeighbourSqRadii(r, k, chunk);
        const fakeRadii = kthNeighbourSqRadii(f, k, chunk);
        return {
          precision: fractionInsideBalls(f, r, realRadii, chunk),
          recall: fractionInsideBalls(r, f, fakeRadii, chunk),
        };
      } finally {
        r.dispose();
        f.dispose();
      }
    }),
  );
}
