/**
 * An autoencoder for MNIST: an encoder z = f(x) into a latent space smaller than x, and a decoder
 * x' = g(z) trained so that x' ≈ x (Hinton & Salakhutdinov 2006; the lecture's "learning an
 * approximation of the identity").
 *
 * Both networks are MLPs (784 → 512 → 256 → latentDim and back), which train quickly on every
 * backend. The decoder outputs per-pixel *logits*: a pixel p = (x + 1)/2 ∈ [0, 1] is modelled as a
 * Bernoulli with probability σ(logit), so the reconstruction loss is the binary cross-entropy
 * (the same decoder serves the VAE, lib/models/vae.ts). `logitsToImages` maps logits back to the
 * course's image range [-1, 1]: 2σ(l) − 1 = tanh(l / 2).
 *
 * Why it is not a generative model by itself: nothing says which latent codes are valid. The codes
 * of the training digits occupy some irregular region of ℝ^latentDim, and a code drawn from any
 * simple distribution (e.g. N(0, I)) decodes to something that is usually not a digit.
 */
import * as tf from "@tensorflow/tfjs";

const MNIST_SHAPE: [number, number, number] = [28, 28, 1];

export interface AutoencoderConfig {
  latentDim?: number; // 16
  hidden?: number[]; // [512, 256]: encoder widths; the decoder mirrors them
  imageShape?: [number, number, number]; // [28, 28, 1]
}

/** Encoder x [batch, 28, 28, 1] → one dense head per entry of `heads` (e.g. { z: 16 } or { mean: 16, logVar: 16 }). */
export function mlpEncoder(config: { hidden?: number[]; imageShape?: [number, number, number]; heads: Record<string, number>; name?: string }): tf.LayersModel {
  const input = tf.input({ shape: config.imageShape ?? MNIST_SHAPE }); // [batch, 28, 28, 1]
  let h = tf.layers.flatten().apply(input) as tf.SymbolicTensor; // [batch, 784]
  for (const units of config.hidden ?? [512, 256]) h = tf.layers.dense({ units, activation: "relu" }).apply(h) as tf.SymbolicTensor;
  const outputs = Object.entries(config.heads).map(([name, units]) => tf.layers.dense({ units, name }).apply(h) as tf.SymbolicTensor); // [batch, units]
  return tf.model({ inputs: input, outputs: outputs.length === 1 ? outputs[0] : outputs, name: config.name ?? "encoder" });
}

/** Decoder z [batch, latentDim] → pixel logits [batch, 28, 28, 1]. */
export function mlpDecoder(config: AutoencoderConfig = {}): tf.LayersModel {
  const latentDim = config.latentDim ?? 16;
  const shape = config.imageShape ?? MNIST_SHAPE;
  const input = tf.input({ shape: [latentDim] }); // [batch, latentDim]
  let h: tf.SymbolicTensor = input;
  for (const units of [...(config.hidden ?? [512, 256])].reverse()) h = tf.layers.dense({ units, activation: "relu" }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: shape[0] * shape[1] * shape[2], name: "logits" }).apply(h) as tf.SymbolicTensor; // [batch, 784]
  const out = tf.layers.reshape({ targetShape: shape }).apply(h) as tf.SymbolicTensor; // [batch, 28, 28, 1]
  return tf.model({ inputs: input, outputs: out, name: "decoder" });
}

export interface Autoencoder {
  encoder: tf.LayersModel; // x → z [batch, latentDim]
  decoder: tf.LayersModel; // z → logits [batch, 28, 28, 1]
  latentDim: number;
}

/** A deterministic autoencoder: encoder x → z, decoder z → logits. */
export function autoencoder(config: AutoencoderConfig = {}): Autoencoder {
  const latentDim = config.latentDim ?? 16;
  return {
    encoder: mlpEncoder({ hidden: config.hidden, imageShape: config.imageShape, heads: { z: latentDim } }),
    decoder: mlpDecoder({ ...config, latentDim }),
    latentDim,
  };
}

/** Pixel logits → images in [-1, 1] (the Bernoulli means, rescaled): tanh(l / 2) = 2σ(l) − 1. */
export function logitsToImages(logits: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.tanh(tf.mul(logits, 0.5)));
}

/**
 * −log p(x | logits) per example for images x in [-1, 1]: the binary cross-entropy of the pixel
 * intensities p = (x + 1)/2 against σ(logits), summed over pixels → [batch]. Stable form:
 * BCE(l, p) = max(l, 0) − l·p + log(1 + e^{−|l|}).
 */
export function bernoulliNll(logits: tf.Tensor, x: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const p = tf.div(tf.add(x, 1), 2);
    const bce = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, p)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
    return tf.sum(tf.reshape(bce, [x.shape[0], -1]), 1) as tf.Tensor1D;
  });
}

/** Decode latent codes to images in [-1, 1] (inference mode). */
export function decodeImages(decoder: tf.LayersModel, z: tf.Tensor): tf.Tensor4D {
  return tf.tidy(() => logitsToImages(decoder.apply(z, { training: false }) as tf.Tensor) as tf.Tensor4D);
}

/** Encode images to codes [batch, latentDim] (the mean, for a VAE encoder with two heads). */
export function encodeImages(encoder: tf.LayersModel, x: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const out = encoder.apply(x, { training: false }) as tf.Tensor | tf.Tensor[];
    return (Array.isArray(out) ? out[0] : out) as tf.Tensor2D;
  });
}
