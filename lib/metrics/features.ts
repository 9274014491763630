/**
 * Feature extractors for the distribution metrics. FID (Heusel et al. 2017) and improved
 * precision/recall (Kynkäänniemi et al. 2019) compare images in the feature space of a fixed
 * network (Inception-v3 pool3 in the papers). This course uses a small reference MNIST classifier
 * instead (trained elsewhere); any function images → features fits this interface.
 */
import * as tf from "@tensorflow/tfjs";

/** Maps a batch of images [n, h, w, c] to feature vectors [n, d]. Must not dispose its input. */
export type FeatureExtractor = (images: tf.Tensor4D) => tf.Tensor2D;

/**
 * Run `extractor` over `images` [N, h, w, c] in batches of `batchSize` (default 256) and return the
 * features [N, d] as one tensor (the caller owns it). Every intermediate tensor is disposed.
 */
export function extractFeatures(extractor: FeatureExtractor, images: tf.Tensor4D, batchSize = 256): tf.Tensor2D {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`extractFeatures: batchSize must be a positive integer, got ${batchSize}`);
  const n = images.shape[0];
  if (n === 0) throw new Error("extractFeatures: no images");
  const parts: tf.Tensor2D[] = [];
  try {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      const part = tf.tidy(() => {
        const batch = tf.slice(images, [start, 0, 0, 0], [size, -1, -1, -1]); // [size, h, w, c]
        const feats = extractor(batch); // [size, d]
        if (feats.rank !== 2 || feats.shape[0] !== size) {
          throw new Error(`extractFeatures: extractor returned shape [${feats.shape}], expected [${size}, d]`);
        }
        return feats;
      });
      parts.push(part);
    }
    return parts.length === 1 ? parts[0] : (tf.concat(parts, 0) as tf.Tensor2D);
  } finally {
    if (parts.length > 1) parts.forEach((t) => t.dispose());
  }
}

/** Same as `extractFeatures`, but returns plain rows and keeps no tensor. */
export function extractFeatureRows(extractor: FeatureExtractor, images: tf.Tensor4D, batchSize = 256): number[][] {
  const feats = extractFeatures(extractor, images, batchSize);
  try {
    return feats.arraySync();
  } finally {
    feats.dispose();
  }
}
