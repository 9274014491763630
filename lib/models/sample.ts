/**
 * Sampling a trained unconditional generator for evaluation: the lessons' FID, precision/recall and
 * class histograms and the recipes' final measurements all draw their samples here.
 */
import * as tf from "@tensorflow/tfjs";

/**
 * n samples of an unconditional generator z [batch, latentDim] → images, z ~ N(0, I), in
 * inference mode and in batches (a self-attention map is [batch, N, N]: 2,000 at once would need
 * 300 MB).
 */
export function sampleGenerator(generator: tf.LayersModel, n: number, batchSize = 250): tf.Tensor4D {
  const latentDim = generator.inputs[0].shape[1] as number;
  const parts: tf.Tensor[] = [];
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    parts.push(tf.tidy(() => generator.apply(tf.randomNormal([size, latentDim]), { training: false }) as tf.Tensor));
  }
  const out = tf.concat(parts, 0) as tf.Tensor4D;
  tf.dispose(parts);
  return out;
}
