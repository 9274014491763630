/**
 * A small Self-Attention GAN for MNIST (Zhang, Goodfellow, Metaxas & Odena 2018), built as the
 * course's DCGAN (lib/models/dcgan.ts) of the same width, plus SAGAN's three changes:
 *
 *   - a self-attention block (lib/layers/self-attention.ts) in G (on its 14×14 maps) and in D (on
 *     its 7×7 maps: attention costs O(N²) in the N positions, and D runs three times per step);
 *   - spectral normalization (lib/layers/spectral-normalization.ts) on every layer of G *and* D,
 *     including the attention's projections;
 *   - (in training, not here) the hinge loss and TTUR, lrD = 4e-4, lrG = 1e-4, 1:1 updates.
 *
 *   G: z → SN-Dense(7·7·2b) → BN → ReLU → [7, 7, 2b]
 *        → SN-ConvT(b, k4, s2) → BN → ReLU → [14, 14, b] → Attention → SN-ConvT(1, k4, s2) → tanh → [28, 28, 1]
 *   D: x → SN-Conv(b, k4, s2) → LeakyReLU → [14, 14, b]
 *        → SN-Conv(2b, k4, s2) → LeakyReLU → [7, 7, 2b] → Attention → SN-Dense(1) → score [batch, 1]
 *
 * G keeps batch norm (as SAGAN does); D has none (spectral norm replaces it). `attention: false`
 * and `spectralNorm: false` give the ablations. Helpers read the attention maps back out of a
 * trained model and draw them over the image, as in the paper's Figure 1.
 */
import * as tf from "@tensorflow/tfjs";
import { SelfAttention, selfAttention } from "../layers/self-attention";
import { SpectralNormalization, spectralNormalization } from "../layers/spectral-normalization";

export interface SaganConfig {
  latentDim?: number; // 100
  /** Channels of G's last hidden layer and D's first layer (the DCGAN's b). */
  baseChannels?: number; // 64
  /** Self-attention in G (14×14) and D (7×7). Default true. */
  attention?: boolean;
  /** Spectral normalization on every layer. Default true. */
  spectralNorm?: boolean;
  /** Batch norm in G. Default true. */
  batchNorm?: boolean;
  /** D's LeakyReLU slope. Default 0.2 (as the course's DCGAN; SAGAN's code uses 0.1). */
  leakyAlpha?: number;
  /** Channel reduction of the attention's f and g. Default 8. */
  attentionReduction?: number;
  name?: string;
}

function resolve(config: SaganConfig) {
  return {
    latentDim: config.latentDim ?? 100,
    base: config.baseChannels ?? 64,
    attention: config.attention ?? true,
    sn: config.spectralNorm ?? true,
    batchNorm: config.batchNorm ?? true,
    leakyAlpha: config.leakyAlpha ?? 0.2,
    reduction: config.attentionReduction ?? 8,
  };
}

/** A layer, spectrally normalized if `sn`; the wrapper takes the given name. */
function maybeSn(sn: boolean, layer: tf.layers.Layer, name: string): tf.layers.Layer {
  return sn ? spectralNormalization({ layer, name }) : layer;
}

const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor) => layer.apply(x) as tf.SymbolicTensor;

/** G: z [batch, latentDim] → images [batch, 28, 28, 1] in [-1, 1]. */
export function saganGenerator(config: SaganConfig = {}): tf.LayersModel {
  const c = resolve(config);
  const z = tf.input({ shape: [c.latentDim], name: "z" }); // [batch, latentDim]
  let x = apply(maybeSn(c.sn, tf.layers.dense({ units: 7 * 7 * 2 * c.base, useBias: !c.batchNorm, name: c.sn ? undefined : "g_dense" }), "g_dense"), z);
  if (c.batchNorm) x = apply(tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, name: "g_bn0" }), x);
  x = apply(tf.layers.reLU(), x);
  x = apply(tf.layers.reshape({ targetShape: [7, 7, 2 * c.base] }), x); // [batch, 7, 7, 2b]
  x = apply(maybeSn(c.sn, tf.layers.conv2dTranspose({ filters: c.base, kernelSize: 4, strides: 2, padding: "same", useBias: !c.batchNorm, name: c.sn ? undefined : "g_convt1" }), "g_convt1"), x); // [batch, 14, 14, b]
  if (c.batchNorm) x = apply(tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, name: "g_bn1" }), x);
  x = apply(tf.layers.reLU(), x);
  if (c.attention) x = apply(selfAttention({ reduction: c.reduction, spectralNorm: c.sn, name: "g_attention" }), x); // [batch, 14, 14, b]
  x = apply(maybeSn(c.sn, tf.layers.conv2dTranspose({ filters: 1, kernelSize: 4, strides: 2, padding: "same", name: c.sn ? undefined : "g_convt2" }), "g_convt2"), x); // [batch, 28, 28, 1]
  x = apply(tf.layers.activation({ activation: "tanh" }), x);
  return tf.model({ inputs: z, outputs: x, name: config.name ?? "generator" });
}

/** D: images [batch, 28, 28, 1] → scores [batch, 1] (raw, for the hinge loss). */
export function saganDiscriminator(config: SaganConfig = {}): tf.LayersModel {
  const c = resolve(config);
  const image = tf.input({ shape: [28, 28, 1], name: "x" }); // [batch, 28, 28, 1]
  let x = apply(maybeSn(c.sn, tf.layers.conv2d({ filters: c.base, kernelSize: 4, strides: 2, padding: "same", name: c.sn ? undefined : "d_conv1" }), "d_conv1"), image); // [batch, 14, 14, b]
  x = apply(tf.layers.leakyReLU({ alpha: c.leakyAlpha }), x);
  x = apply(maybeSn(c.sn, tf.layers.conv2d({ filters: 2 * c.base, kernelSize: 4, strides: 2, padding: "same", name: c.sn ? undefined : "d_conv2" }), "d_conv2"), x); // [batch, 7, 7, 2b]
  x = apply(tf.layers.leakyReLU({ alpha: c.leakyAlpha }), x);
  if (c.attention) x = apply(selfAttention({ reduction: c.reduction, spectralNorm: c.sn, name: "d_attention" }), x); // [batch, 7, 7, 2b]
  x = apply(tf.layers.flatten(), x); // [batch, 7·7·2b]
  const score = apply(maybeSn(c.sn, tf.layers.dense({ units: 1, name: c.sn ? undefined : "d_score" }), "d_score"), x); // [batch, 1]
  return tf.model({ inputs: image, outputs: score, name: config.name ?? "discriminator" });
}

/** The self-attention layers of a model, in order. */
export function attentionLayers(model: tf.LayersModel): SelfAttention[] {
  return model.layers.filter((l): l is SelfAttention => l instanceof SelfAttention);
}

/** The spectrally normalized layers of a model, in order. */
export function spectralNormLayers(model: tf.LayersModel): SpectralNormalization[] {
  return model.layers.filter((l): l is SpectralNormalization => l instanceof SpectralNormalization);
}

export interface AttentionMaps {
  /** β [batch, N, N]: row j = query position j = row·width + col, a distribution over the N positions. */
  maps: tf.Tensor3D;
  height: number; // of the attended feature map
  width: number;
}

/**
 * The attention maps of a model's self-attention layer (the first one unless `layer` is given)
 * for a batch of model inputs (z for G, images for D), in inference mode.
 */
export function attentionMaps(model: tf.LayersModel, inputs: tf.Tensor, layer?: SelfAttention): AttentionMaps {
  const attn = layer ?? attentionLayers(model)[0];
  if (!attn) throw new Error(`attentionMaps: model ${model.name} has no self-attention layer`);
  const upToAttention = tf.model({ inputs: model.inputs, outputs: attn.input as tf.SymbolicTensor });
  const maps = tf.tidy(() => attn.attentionMap(upToAttention.predict(inputs) as tf.Tensor4D));
  const [, height, width] = (attn.input as tf.SymbolicTensor).shape as number[];
  return { maps, height, width };
}

/**
 * Draw where query positions look: for each image and each query (row, col) of the attention
 * grid, the image in grey with the attention over it in red (scaled per map to its maximum) and
 * the query pixel block in green. images [batch, H, W, 1] in [-1, 1] → [batch · queries, H, W, 3] in [0, 1].
 */
export function attentionOverlay(images: tf.Tensor4D, attention: AttentionMaps, queries: [number, number][]): tf.Tensor4D {
  return tf.tidy(() => {
    const [batch, h, w] = images.shape;
    const { maps, height, width } = attention;
    const grey = tf.div(tf.add(images, 1), 2); // [batch, H, W, 1] in [0, 1]
    const tiles: tf.Tensor[] = [];
    for (let b = 0; b < batch; b++) {
      const img = tf.slice(grey, [b, 0, 0, 0], [1, -1, -1, -1]); // [1, H, W, 1]
      for (const [row, col] of queries) {
        const j = row * width + col;
        let heat = tf.reshape(tf.slice(maps, [b, j, 0], [1, 1, -1]), [1, height, width, 1]);
        heat = tf.div(heat, tf.max(heat)); // [1, height, width, 1] in [0, 1]
        heat = tf.image.resizeNearestNeighbor(heat as tf.Tensor4D, [h, w]); // [1, H, W, 1]
        // The query cell, upsampled to image pixels.
        const mask = tf.buffer([1, height, width, 1]);
        mask.set(1, 0, row, col, 0);
        const query = tf.image.resizeNearestNeighbor(mask.toTensor() as tf.Tensor4D, [h, w]);
        const base = tf.mul(img, 0.6);
        const red = tf.clipByValue(tf.add(base, heat), 0, 1);
        const green = tf.clipByValue(tf.add(tf.mul(base, tf.sub(1, query)), query), 0, 1);
        const blue = tf.mul(base, tf.sub(1, query));
        tiles.push(tf.concat([tf.mul(red, tf.sub(1, query)), green, blue], 3));
      }
    }
    return tf.concat(tiles, 0) as tf.Tensor4D;
  });
}
