/**
 * Minibatch standard deviation (Karras, Aila, Laine & Lehtinen 2018, "Progressive Growing of GANs
 * for Improved Quality, Stability, and Variation", §3): the simplest form of minibatch
 * discrimination, with no parameters at all.
 *
 * Why: minibatch discrimination (minibatch-discrimination.ts) learns which differences between
 * samples to look at. Karras et al. keep only one number, how much a batch varies: if G collapses,
 * its batches vary less than real ones, and D can see that directly.
 *
 * Definition. Split the batch into groups of `groupSize` samples. In each group take the standard
 * deviation of every feature (every channel at every position) over the group's samples, average
 * those into one number s, and append s as one more feature to every sample of the group (for
 * images: one more constant channel). With groupSize = 0 the whole batch is one group.
 * Group g holds samples g, g + M, g + 2M, … where M = batch / groupSize (the paper's reshape).
 *
 * Input [batch, F] → [batch, F + 1], or [batch, H, W, C] → [batch, H, W, C + 1].
 */
import * as tf from "@tensorflow/tfjs";

type LayerArgs = ConstructorParameters<typeof tf.layers.Layer>[0];
type Kwargs = { [key: string]: any };

/**
 * The per-sample statistic [batch]: the mean over features of the within-group standard deviation,
 * repeated for every member of the group. `groupSize` 0 (or ≥ batch) means the whole batch.
 */
export function minibatchStddevStatistic(x: tf.Tensor, groupSize = 0, epsilon = 1e-8): tf.Tensor1D {
  return tf.tidy(() => {
    const n = x.shape[0];
    const g = groupSize <= 0 || groupSize >= n ? n : groupSize;
    if (n % g !== 0) throw new Error(`minibatchStddev: batch ${n} is not divisible by groupSize ${g}`);
    const m = n / g; // number of groups
    const rest = x.shape.slice(1);
    const grouped = tf.reshape(x, [g, m, ...rest]); // [G, M, ...]: sample i is member ⌊i/M⌋ of group i mod M
    const centered = tf.sub(grouped, tf.mean(grouped, 0, true));
    const std = tf.sqrt(tf.add(tf.mean(tf.square(centered), 0), epsilon)); // [M, ...]
    const perGroup = tf.mean(tf.reshape(std, [m, -1]), 1); // [M]
    return tf.reshape(tf.tile(tf.expandDims(perGroup, 0), [g, 1]), [n]) as tf.Tensor1D; // [batch]
  });
}

export interface MinibatchStddevArgs extends NonNullable<LayerArgs> {
  /** Samples per group; 0 = the whole batch. Default 0. (Karras et al. use 4.) */
  groupSize?: number;
}

export class MinibatchStddev extends tf.layers.Layer {
  static className = "MinibatchStddev";
  readonly groupSize: number;

  constructor(args: MinibatchStddevArgs = {}) {
    super(args);
    this.groupSize = args.groupSize ?? 0;
    if (!(Number.isInteger(this.groupSize) && this.groupSize >= 0)) throw new Error(`MinibatchStddev: groupSize must be a non-negative integer, got ${args.groupSize}`);
  }

  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    if (shape.length !== 2 && shape.length !== 4) throw new Error(`MinibatchStddev expects [batch, F] or [batch, H, W, C] inputs, got [${shape}]`);
    const last = shape[shape.length - 1];
    return [...shape.slice(0, -1), last == null ? null : last + 1];
  }

  call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs; // [batch, F] or [batch, H, W, C]
      const s = minibatchStddevStatistic(x, this.groupSize); // [batch]
      const shape = [x.shape[0], ...x.shape.slice(1, -1).map(() => 1), 1]; // [batch, 1] or [batch, 1, 1, 1]
      const feature = tf.mul(tf.reshape(s, shape), tf.ones([x.shape[0], ...x.shape.slice(1, -1), 1])); // constant map
      return tf.concat([x, feature], -1);
    });
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), groupSize: this.groupSize };
  }
}
tf.serialization.registerClass(MinibatchStddev);

/** A minibatch-standard-deviation layer: `minibatchStddev({ groupSize: 4 })`. */
export function minibatchStddev(args: MinibatchStddevArgs = {}): MinibatchStddev {
  return new MinibatchStddev(args);
}
