/**
 * Pairwise-distance features: the simplest minibatch feature, the one the lecture slides describe
 * ("the L2 norm of the difference between all pairs from the batch", fed to D with the sample).
 *
 * Why: the minibatch-GAN idea (Salimans et al. 2016, §3.2) is to let D see how diverse a batch is.
 * Before learning anything, the plainest measure of diversity is how far apart the samples are:
 * in a collapsed batch every sample's neighbours sit on top of it.
 *
 * Definition. For features h_1 … h_n of a batch, sample i gets one extra feature, its mean L2
 * distance to the other samples,
 *
 *   d_i = 1/(n−1) · Σ_{j≠i} ‖h_i − h_j‖_2,
 *
 * appended to h_i. The square root is taken of ‖·‖² + ε (ε = 1e-8) so its gradient stays finite
 * when two samples coincide; the squared distances come from one matrix product (the Gram
 * matrix). No weights: what the layer measures is fixed; what D makes of it is learned by the
 * layers after it.
 *
 * Input [batch, F] → [batch, F + 1] (flatten images first).
 */
import * as tf from "@tensorflow/tfjs";

type LayerArgs = ConstructorParameters<typeof tf.layers.Layer>[0];
type Kwargs = { [key: string]: any };

/** d_i = mean over j ≠ i of ‖h_i − h_j‖_2, for h [n, F] → [n]. Needs n ≥ 2. */
export function meanPairwiseDistance(h: tf.Tensor2D, epsilon = 1e-8): tf.Tensor1D {
  return tf.tidy(() => {
    const n = h.shape[0];
    if (n < 2) throw new Error(`meanPairwiseDistance: needs a batch of at least 2 samples, got ${n}`);
    // ‖h_i − h_j‖² = ‖h_i‖² + ‖h_j‖² − 2 h_i·h_j: an [n, n] matrix product instead of an [n, n, F] difference.
    const sq = tf.sum(tf.square(h), 1, true); // [n, 1]
    const gram = tf.matMul(h, h, false, true); // [n, n]
    const sqDist = tf.relu(tf.sub(tf.add(sq, tf.transpose(sq)), tf.mul(gram, 2))); // ≥ 0 despite rounding
    const offDiagonal = tf.sub(1, tf.eye(n)); // the j = i terms are 0
    const dist = tf.mul(tf.sqrt(tf.add(sqDist, epsilon)), offDiagonal); // [n, n]
    return tf.div(tf.sum(dist, 1), n - 1) as tf.Tensor1D; // [n]
  });
}

export type PairwiseDistanceArgs = NonNullable<LayerArgs>;

export class PairwiseDistance extends tf.layers.Layer {
  static className = "PairwiseDistance";

  constructor(args: PairwiseDistanceArgs = {}) {
    super(args);
  }

  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    if (shape.length !== 2) throw new Error(`PairwiseDistance expects [batch, features] inputs (flatten first), got [${shape}]`);
    return [shape[0], shape[1] == null ? null : shape[1] + 1];
  }

  call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const h = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D; // [batch, F]
      const d = meanPairwiseDistance(h); // [batch]
      return tf.concat([h, tf.expandDims(d, 1)], 1); // [batch, F + 1]
    });
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig() };
  }
}
tf.serialization.registerClass(PairwiseDistance);

/** A pairwise-distance feature layer: `pairwiseDistance()`. */
export function pairwiseDistance(args: PairwiseDistanceArgs = {}): PairwiseDistance {
  return new PairwiseDistance(args);
}
