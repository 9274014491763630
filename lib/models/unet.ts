/**
 * U-Net generator (Ronneberger, Fischer & Brox 2015), the generator of pix2pix (Isola, Zhu, Zhou &
 * Efros 2017, "Image-to-Image Translation with Conditional Adversarial Networks", §3.2.1).
 *
 * An encoder-decoder: strided convolutions halve the image `depth` times, transposed convolutions
 * double it back. In translation the input and output share their structure (here the strokes of
 * the same digit), so pix2pix adds *skip connections*: decoder level i also receives encoder level
 * i, concatenated along the channels, and low-level detail does not have to squeeze through the
 * bottleneck. `skips: false` gives the plain encoder-decoder for comparison.
 *
 *   x [h, w, c] → Conv(b, k4, s2) → LReLU                    e1 [h/2, w/2, b]
 *              → Conv(2b, k4, s2) → BN → LReLU               e2 [h/4, w/4, 2b]   (depth 2)
 *              → ConvT(b, k4, s2) → BN → ReLU → concat e1    [h/2, w/2, 2b]
 *              → ConvT(outChannels, k4, s2) → tanh           [h, w, outChannels]
 *
 * pix2pix feeds noise only as dropout; these small translators are deterministic (no z).
 */
import * as tf from "@tensorflow/tfjs";

export interface UnetConfig {
  /** [height, width, channels] of the input; height and width divisible by 2^depth. */
  imageShape?: [number, number, number]; // [28, 28, 1]
  outChannels?: number; // 1
  /** Channels of the first encoder level; level i has b·2^i (capped at 8b). */
  baseChannels?: number; // 16
  /** Number of halvings. */
  depth?: number; // 2
  /** Concatenate encoder level i to decoder level i (U-Net); false is a plain encoder-decoder. */
  skips?: boolean; // true
  /** Dropout rate in the innermost decoder level (pix2pix's noise); 0 disables it. */
  dropout?: number; // 0
  /**
   * Units of a fully connected bottleneck between encoder and decoder (flatten → dense → dense →
   * reshape); 0 keeps the net convolutional. With it (and without skips) every output pixel depends
   * on every input pixel: the translator is no longer local.
   */
  denseBottleneck?: number; // 0
  name?: string; // "unet"
}

const init = () => tf.initializers.randomNormal({ mean: 0, stddev: 0.02 });

/** U-Net: images [batch, h, w, c] → images [batch, h, w, outChannels] in [-1, 1]. */
export function unet(config: UnetConfig = {}): tf.LayersModel {
  const [h, w, c] = config.imageShape ?? [28, 28, 1];
  const depth = config.depth ?? 2;
  const b = config.baseChannels ?? 16;
  const skips = config.skips ?? true;
  const dropout = config.dropout ?? 0;
  const denseBottleneck = config.denseBottleneck ?? 0;
  if (!(Number.isInteger(depth) && depth >= 1)) throw new Error(`unet: depth must be a positive integer, got ${depth}`);
  if (!(Number.isInteger(denseBottleneck) && denseBottleneck >= 0)) throw new Error(`unet: denseBottleneck must be a non-negative integer (0 = none), got ${denseBottleneck}`);
  if (h % 2 ** depth !== 0 || w % 2 ** depth !== 0) throw new Error(`unet: ${h}x${w} is not divisible by 2^${depth}; use a smaller depth`);
  const width = (i: number) => b * Math.min(2 ** i, 8);
  const input = tf.input({ shape: [h, w, c], name: "source" });
  const encoded: tf.SymbolicTensor[] = [];
  let x: tf.SymbolicTensor = input;
  for (let i = 0; i < depth; i++) {
    x = tf.layers.conv2d({ filters: width(i), kernelSize: 4, strides: 2, padding: "same", kernelInitializer: init(), useBias: i === 0, name: `enc${i + 1}_conv` }).apply(x) as tf.SymbolicTensor; // [batch, h/2^(i+1), w/2^(i+1), b·2^i]
    if (i > 0) x = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, name: `enc${i + 1}_bn` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.leakyReLU({ alpha: 0.2 }).apply(x) as tf.SymbolicTensor;
    encoded.push(x);
  }
  if (denseBottleneck > 0) {
    const inner = [h / 2 ** depth, w / 2 ** depth, width(depth - 1)]; // the innermost level's [h, w, channels]
    x = tf.layers.flatten({ name: "bottleneck_flatten" }).apply(x) as tf.SymbolicTensor; // [batch, (h/2^depth)·(w/2^depth)·c]
    x = tf.layers.dense({ units: denseBottleneck, kernelInitializer: init(), name: "bottleneck_dense" }).apply(x) as tf.SymbolicTensor; // [batch, units]
    x = tf.layers.leakyReLU({ alpha: 0.2 }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.dense({ units: inner[0] * inner[1] * inner[2], kernelInitializer: init(), name: "bottleneck_expand" }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.leakyReLU({ alpha: 0.2 }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.reshape({ targetShape: inner, name: "bottleneck_reshape" }).apply(x) as tf.SymbolicTensor; // [batch, h/2^depth, w/2^depth, c]
  }
  for (let i = depth - 2; i >= 0; i--) {
    x = tf.layers.conv2dTranspose({ filters: width(i), kernelSize: 4, strides: 2, padding: "same", useBias: false, kernelInitializer: init(), name: `dec${i + 1}_convt` }).apply(x) as tf.SymbolicTensor; // [batch, h/2^(i+1), w/2^(i+1), b·2^i]
    x = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, name: `dec${i + 1}_bn` }).apply(x) as tf.SymbolicTensor;
    if (dropout > 0 && i === depth - 2) x = tf.layers.dropout({ rate: dropout, name: `dec${i + 1}_dropout` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
    if (skips) x = tf.layers.concatenate({ name: `skip${i + 1}` }).apply([x, encoded[i]]) as tf.SymbolicTensor; // [batch, ..., 2·b·2^i]
  }
  const out = tf.layers.conv2dTranspose({ filters: config.outChannels ?? 1, kernelSize: 4, strides: 2, padding: "same", activation: "tanh", kernelInitializer: init(), name: "out_convt" }).apply(x) as tf.SymbolicTensor; // [batch, h, w, outChannels]
  return tf.model({ inputs: input, outputs: out, name: config.name ?? "unet" });
}

/** Apply a translator to many images in inference mode, in batches: [N, h, w, c] → [N, h, w, c']. */
export function translate(translator: tf.LayersModel, images: tf.Tensor, batchSize = 500): tf.Tensor4D {
  const n = images.shape[0];
  const parts: tf.Tensor[] = [];
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    parts.push(tf.tidy(() => translator.apply(tf.slice(images, start, size), { training: false }) as tf.Tensor));
  }
  const out = parts.length === 1 ? parts[0] : tf.concat(parts);
  if (parts.length > 1) tf.dispose(parts);
  return out as tf.Tensor4D;
}
