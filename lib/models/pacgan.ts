/**
 * Packing (Lin, Khetan, Fanti & Oh 2018, "PacGAN: The Power of Two Samples in Generative
 * Adversarial Networks", NeurIPS, §3).
 *
 * Why: a discriminator that judges one sample at a time cannot penalise a generator for producing
 * the same good sample over and over. PacGAN's D judges m samples at once, all real or all fake,
 * concatenated into one input. m samples of a collapsed G look alike, m real samples do not, so
 * the packed D can tell them apart; the paper shows that packing penalises mode collapse more the
 * larger m is. Nothing else changes: G, the loss and the optimizer are those of the plain GAN,
 * and only D's input layer is m times wider.
 *
 * Packing groups consecutive samples of a batch: vectors [n, d] → [n/m, m·d]; images
 * [n, h, w, c] → [n/m, h, w, m·c] (concatenated along the channels, as in the paper's code).
 * With the trainer, pass `discriminatorInputs: packedInputs(m)` and a D built for the packed
 * width (`pacganMlpDiscriminator`); the batch size must be a multiple of m.
 */
import * as tf from "@tensorflow/tfjs";
import { mlpDiscriminator } from "./mlp";

/** Concatenate groups of `packing` consecutive samples: [n, d] → [n/m, m·d], [n, h, w, c] → [n/m, h, w, m·c]. */
export function pack(x: tf.Tensor, packing: number): tf.Tensor {
  if (!(Number.isInteger(packing) && packing >= 1)) throw new Error(`pack: packing must be a positive integer, got ${packing}`);
  const n = x.shape[0];
  if (n % packing !== 0) throw new Error(`pack: batch ${n} is not a multiple of the packing degree ${packing}`);
  if (packing === 1) return x.clone();
  return tf.tidy(() => {
    if (x.rank === 2) return tf.reshape(x, [n / packing, packing * (x.shape[1] as number)]); // [n/m, m·d]: row k = [x_{km}, …, x_{km+m−1}]
    if (x.rank === 4) {
      const [, h, w, c] = x.shape;
      const grouped = tf.reshape(x, [n / packing, packing, h, w, c]); // [n/m, m, h, w, c]
      return tf.reshape(tf.transpose(grouped, [0, 2, 3, 1, 4]), [n / packing, h, w, packing * c]); // [n/m, h, w, m·c]
    }
    throw new Error(`pack: expects [n, d] or [n, h, w, c], got shape [${x.shape}]`);
  });
}

/** The trainer's `discriminatorInputs` for a packed D (unconditional): x ↦ pack(x, m). */
export function packedInputs(packing: number): (x: tf.Tensor) => tf.Tensor {
  return (x) => pack(x, packing);
}

/** PacGAN's D for vectors: the MLP discriminator with an input m·dataDim wide; logit [n/m, 1]. */
export function pacganMlpDiscriminator(config: { dataDim: number; packing: number; hidden?: number[] }): tf.LayersModel {
  return mlpDiscriminator({ dataDim: config.dataDim * config.packing, hidden: config.hidden });
}
