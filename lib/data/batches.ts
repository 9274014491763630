/**
 * Seeded minibatch sampling from a tensor dataset: what the trainer's `sampleReal` usually is.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, createRng } from "../random";

/**
 * Returns a function that draws `batchSize` rows (with their labels, if given) by walking a
 * seeded permutation, reshuffling every epoch. The returned tensors belong to the caller.
 */
export function batchSampler(
  x: tf.Tensor, // [N, ...]
  labels?: tf.Tensor1D, // [N]
  rng: Rng = createRng(),
): (batchSize: number) => { x: tf.Tensor; labels?: tf.Tensor1D } {
  const n = x.shape[0];
  if (labels && labels.shape[0] !== n) throw new Error(`batchSampler: ${n} examples but ${labels.shape[0]} labels`);
  let order: number[] = [];
  let pos = n;
  return (batchSize: number) => {
    if (batchSize > n) throw new Error(`batchSampler: batch of ${batchSize} from only ${n} examples`);
    if (pos + batchSize > n) {
      order = rng.shuffle([...Array(n).keys()]);
      pos = 0;
    }
    const idx = tf.tensor1d(order.slice(pos, pos + batchSize), "int32");
    pos += batchSize;
    const out = { x: tf.gather(x, idx), labels: labels ? (tf.gather(labels, idx) as tf.Tensor1D) : undefined };
    idx.dispose();
    return out;
  };
}
