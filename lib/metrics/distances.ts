/**
 * Pairwise squared Euclidean distances, ‖a‖² + ‖b‖² − 2 a·b, with one matMul per block of rows so
 * that k-NN metrics (precision/recall) and kernel metrics (MMD) never hold an [n, m] matrix larger
 * than [chunk, m]. Runs on whatever tfjs backend is active.
 */
import * as tf from "@tensorflow/tfjs";

/** Squared distances between every row of a [n, d] and every row of b [m, d] → [n, m] (≥ 0). */
export function pairwiseSqDistances(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (a.shape[1] !== b.shape[1]) throw new Error(`pairwiseSqDistances: dimensions differ (${a.shape[1]} vs ${b.shape[1]})`);
  return tf.tidy(() => {
    const aa = tf.sum(tf.square(a), 1, true); // [n, 1]
    const bb = tf.reshape(tf.sum(tf.square(b), 1), [1, -1]); // [1, m]
    const ab = tf.matMul(a, b, false, true); // [n, m]
    // Round-off in the expansion can give tiny negatives: clamp.
    return tf.relu(tf.sub(tf.add(aa, bb), tf.mul(2, ab))) as tf.Tensor2D;
  });
}

/**
 * Call `fn(distChunk, start)` for consecutive row blocks of `a`, where distChunk [rows, m] holds
 * the squared distances of a[start : start + rows] to all of b. Each chunk is disposed after `fn`
 * returns, so `fn` must copy out (dataSync) what it needs.
 */
export function forEachDistanceChunk(
  a: tf.Tensor2D,
  b: tf.Tensor2D,
  chunkSize: number,
  fn: (dist: tf.Tensor2D, start: number) => void,
): void {
  const n = a.shape[0];
  for (let start = 0; start < n; start += chunkSize) {
    const rows = Math.min(chunkSize, n - start);
    const dist = tf.tidy(() => pairwiseSqDistances(tf.slice(a, [start, 0], [rows, -1]), b));
    try {
      fn(dist, start);
    } finally {
      dist.dispose();
    }
  }
}

/**
 * Subtract the pooled mean of a and b from both. Distances are unchanged in exact arithmetic, but
 * the float32 expansion ‖a‖² + ‖b‖² − 2a·b loses far less to cancellation on centred data.
 * Returns new tensors (the caller disposes them).
 */
export function centerTogether(a: tf.Tensor2D, b: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  return tf.tidy(() => {
    const n = a.shape[0] + b.shape[0];
    const mean = tf.div(tf.add(tf.sum(a, 0, true), tf.sum(b, 0, true)), n); // [1, d]
    return [tf.sub(a, mean) as tf.Tensor2D, tf.sub(b, mean) as tf.Tensor2D];
  });
}
