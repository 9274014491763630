/**
 * Conditional GAN (Mirza & Osindero 2014, "Conditional Generative Adversarial Nets"): both players
 * see a condition y, here the digit class. The value function becomes
 *
 *   min_G max_D  E_{x,y ~ p_data}[log D(x | y)] + E_{z ~ p_z, y ~ p_y}[log(1 − D(G(z | y) | y))]
 *
 * so D no longer asks "is this a real digit?" but "is this a real digit *of class y*?", and the
 * only way for G to fool it is to draw the class it was asked for.
 *
 * How the label enters the networks (the choices this module offers):
 *   labelInput "onehot"     y as a one-hot vector [batch, nClasses] (Mirza & Osindero);
 *   labelInput "embedding"  y as a class id [batch, 1] looked up in a learned table (an Embedding
 *                            layer; its gradient is a scatter-add, the UnsortedSegmentSum kernel);
 *   combine "concat"        D: the label becomes one extra image channel (a learned [h, w] plane
 *                            per class) concatenated to x; G: the label vector is concatenated to z;
 *   combine "projection"    D: logit = ψ(φ(x)) + ⟨V y, φ(x)⟩, the inner product of the image
 *                            features with a per-class vector (Miyato & Koyama 2018, "cGANs with
 *                            Projection Discriminator").
 *
 * Networks: a small DCGAN (Radford et al. 2015) at 28×28:
 *   G: [z, y] (→ Dense(u) → BN → ReLU) → Dense(7·7·2b) → BN → ReLU → ConvT(b, k4, s2) → BN → ReLU
 *        → ConvT(1, k4, s2) → tanh
 *   D: x (+ label plane) → Conv(b, k4, s2) → LReLU → Conv(2b, k4, s2) → LReLU → flatten
 *        (→ Dense(u) → LReLU) → logit
 * with the optional dense layers of width u = denseUnits (InfoGAN's MNIST networks have them).
 * with b = baseChannels (default 32).
 * `arch: "mlp"` swaps both for dense networks on flattened images (Mirza & Osindero's setting; the
 * label is then simply concatenated to the flattened image). The same image body serves ACGAN's
 * and InfoGAN's discriminators (acgan.ts, infogan.ts), which differ only in their heads.
 */
import * as tf from "@tensorflow/tfjs";
import { Conditioning } from "../train/trainer";
import { Rng, createRng } from "../random";

export type LabelInput = "onehot" | "embedding";

export interface ConditionalGanConfig {
  latentDim?: number; // 64
  nClasses?: number; // 10
  /** How the label is given to the network. */
  labelInput?: LabelInput; // "onehot"
  /** Width of the learned label vector when labelInput = "embedding". */
  embeddingDim?: number; // 16
  /** Channels of G's last hidden layer and D's first layer (the other hidden layer has 2b). */
  baseChannels?: number; // 32
  /** [height, width, channels]; height and width divisible by 4. */
  imageShape?: [number, number, number]; // [28, 28, 1]
  /** LeakyReLU slope of D. */
  leakyAlpha?: number; // 0.2
  /** "conv": the small DCGAN below; "mlp": dense layers on flattened images (faster, coarser samples). */
  arch?: "conv" | "mlp"; // "conv"
  /** Hidden widths of the MLP networks (G uses them in this order, D reversed). */
  mlpHidden?: number[]; // [256, 512]
  /**
   * conv only: a dense hidden layer of this width between z and the 7×7 projection in G, and after
   * the flattened conv features in D (InfoGAN's MNIST networks have one of 1024); 0 for none.
   */
  denseUnits?: number; // 0
}

export interface ConditionalDiscriminatorConfig extends ConditionalGanConfig {
  /** How D combines the label with the image. */
  combine?: "concat" | "projection"; // "concat"
}

function resolve(config: ConditionalGanConfig) {
  const imageShape = config.imageShape ?? [28, 28, 1];
  if (imageShape[0] % 4 !== 0 || imageShape[1] % 4 !== 0) {
    throw new Error(`conditional GAN: image height and width must be divisible by 4, got ${imageShape[0]}x${imageShape[1]}`);
  }
  const labelInput = config.labelInput ?? "onehot";
  if (labelInput !== "onehot" && labelInput !== "embedding") throw new Error(`conditional GAN: labelInput must be "onehot" or "embedding", got "${labelInput}"`);
  return {
    latentDim: config.latentDim ?? 64,
    nClasses: config.nClasses ?? 10,
    labelInput,
    embeddingDim: config.embeddingDim ?? 16,
    base: config.baseChannels ?? 32,
    imageShape,
    leakyAlpha: config.leakyAlpha ?? 0.2,
    arch: config.arch ?? "conv",
    mlpHidden: config.mlpHidden ?? [256, 512],
    denseUnits: config.denseUnits ?? 0,
  };
}

export interface TrunkConfig {
  base: number;
  imageShape: [number, number, number];
  leakyAlpha: number;
  arch: "conv" | "mlp";
  mlpHidden: number[];
  denseUnits?: number;
}

const init = () => tf.initializers.randomNormal({ mean: 0, stddev: 0.02 }); // DCGAN's N(0, 0.02)
const bn = (name: string) => tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, name });

/** The symbolic label input of a network: [batch, nClasses] one-hot, or [batch, 1] class ids. */
function labelInputTensor(labelInput: LabelInput, nClasses: number): tf.SymbolicTensor {
  return labelInput === "onehot" ? tf.input({ shape: [nClasses], name: "y" }) : tf.input({ shape: [1], name: "y" });
}

/**
 * A learned vector of `units` per class: Dense(units, no bias) on a one-hot y (row y of its
 * kernel), or an Embedding(nClasses, units) lookup of a class id. Both give [batch, units].
 */
function labelVector(y: tf.SymbolicTensor, labelInput: LabelInput, nClasses: number, units: number, name: string): tf.SymbolicTensor {
  if (labelInput === "onehot") {
    return tf.layers.dense({ units, useBias: false, kernelInitializer: init(), name }).apply(y) as tf.SymbolicTensor;
  }
  const e = tf.layers.embedding({ inputDim: nClasses, outputDim: units, embeddingsInitializer: init(), name }).apply(y) as tf.SymbolicTensor; // [batch, 1, units]
  return tf.layers.flatten().apply(e) as tf.SymbolicTensor; // [batch, units]
}

/**
 * The DCGAN generator trunk: a vector [batch, d] → images [batch, h, w, channels] in [-1, 1].
 * Shared with InfoGAN (whose "condition" is part of its latent vector).
 */
export function generatorTrunk(h: tf.SymbolicTensor, config: TrunkConfig): tf.SymbolicTensor {
  const [height, width, channels] = config.imageShape;
  const b = config.base;
  if (config.arch === "mlp") {
    // Dense → BN → ReLU per hidden width, then Dense(h·w·c) → tanh, reshaped to an image.
    let v = h;
    config.mlpHidden.forEach((units, i) => {
      v = tf.layers.dense({ units, useBias: false, kernelInitializer: init(), name: `g_dense${i}` }).apply(v) as tf.SymbolicTensor;
      v = bn(`g_bn${i}`).apply(v) as tf.SymbolicTensor;
      v = tf.layers.reLU().apply(v) as tf.SymbolicTensor;
    });
    v = tf.layers.dense({ units: height * width * channels, activation: "tanh", kernelInitializer: init(), name: "g_out" }).apply(v) as tf.SymbolicTensor;
    return tf.layers.reshape({ targetShape: [height, width, channels] }).apply(v) as tf.SymbolicTensor; // [batch, h, w, c]
  }
  let x = h;
  if (config.denseUnits) {
    x = tf.layers.dense({ units: config.denseUnits, useBias: false, kernelInitializer: init(), name: "g_hidden" }).apply(x) as tf.SymbolicTensor; // [batch, denseUnits]
    x = bn("g_bn_hidden").apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.dense({ units: (height / 4) * (width / 4) * 2 * b, useBias: false, kernelInitializer: init(), name: "g_dense" }).apply(x) as tf.SymbolicTensor;
  x = bn("g_bn0").apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  x = tf.layers.reshape({ targetShape: [height / 4, width / 4, 2 * b] }).apply(x) as tf.SymbolicTensor; // [batch, h/4, w/4, 2b]
  x = tf.layers.conv2dTranspose({ filters: b, kernelSize: 4, strides: 2, padding: "same", useBias: false, kernelInitializer: init(), name: "g_convt1" }).apply(x) as tf.SymbolicTensor; // [batch, h/2, w/2, b]
  x = bn("g_bn1").apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  return tf.layers.conv2dTranspose({ filters: channels, kernelSize: 4, strides: 2, padding: "same", activation: "tanh", kernelInitializer: init(), name: "g_convt2" }).apply(x) as tf.SymbolicTensor; // [batch, h, w, channels]
}

/**
 * The discriminator's image body: images [batch, h, w, c] → features [batch, h/4 · w/4 · 2b]
 * (or [batch, denseUnits] with the dense hidden layer).
 * Shared by the cGAN, ACGAN and InfoGAN discriminators, which differ only in their heads.
 */
export function discriminatorBody(x: tf.SymbolicTensor, config: TrunkConfig, extra?: tf.SymbolicTensor): tf.SymbolicTensor {
  const b = config.base;
  if (config.arch === "mlp") {
    // Flatten (and append an extra vector, e.g. the one-hot label), then Dense → LeakyReLU per width.
    let v = tf.layers.flatten().apply(x) as tf.SymbolicTensor; // [batch, h·w·c]
    if (extra) v = tf.layers.concatenate({ name: "d_concat" }).apply([v, extra]) as tf.SymbolicTensor;
    [...config.mlpHidden].reverse().forEach((units, i) => {
      v = tf.layers.dense({ units, kernelInitializer: init(), name: `d_dense${i}` }).apply(v) as tf.SymbolicTensor;
      v = tf.layers.leakyReLU({ alpha: config.leakyAlpha }).apply(v) as tf.SymbolicTensor;
    });
    return v; // [batch, mlpHidden[0]]
  }
  if (extra) throw new Error("discriminatorBody: an extra vector input is only for the MLP body");
  let h = tf.layers.conv2d({ filters: b, kernelSize: 4, strides: 2, padding: "same", kernelInitializer: init(), name: "d_conv1" }).apply(x) as tf.SymbolicTensor; // [batch, h/2, w/2, b]
  h = tf.layers.leakyReLU({ alpha: config.leakyAlpha }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.conv2d({ filters: 2 * b, kernelSize: 4, strides: 2, padding: "same", kernelInitializer: init(), name: "d_conv2" }).apply(h) as tf.SymbolicTensor; // [batch, h/4, w/4, 2b]
  h = tf.layers.leakyReLU({ alpha: config.leakyAlpha }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.flatten().apply(h) as tf.SymbolicTensor; // [batch, h/4 · w/4 · 2b]
  if (!config.denseUnits) return h;
  h = tf.layers.dense({ units: config.denseUnits, kernelInitializer: init(), name: "d_hidden" }).apply(h) as tf.SymbolicTensor;
  return tf.layers.leakyReLU({ alpha: config.leakyAlpha }).apply(h) as tf.SymbolicTensor; // [batch, denseUnits]
}

/** G(z | y): inputs [z [batch, latentDim], y] → images [batch, h, w, c] in [-1, 1]. */
export function conditionalGenerator(config: ConditionalGanConfig = {}): tf.LayersModel {
  const c = resolve(config);
  const z = tf.input({ shape: [c.latentDim], name: "z" }); // [batch, latentDim]
  const y = labelInputTensor(c.labelInput, c.nClasses);
  // The label vector concatenated to z: the one-hot itself, or its learned embedding.
  const yVec = c.labelInput === "onehot" ? y : labelVector(y, "embedding", c.nClasses, c.embeddingDim, "g_label_embedding");
  const h = tf.layers.concatenate({ name: "g_concat" }).apply([z, yVec]) as tf.SymbolicTensor; // [batch, latentDim + label width]
  return tf.model({ inputs: [z, y], outputs: generatorTrunk(h, c), name: "cgan_generator" });
}

/** D(x | y): inputs [x [batch, h, w, c], y] → logit [batch, 1]. */
export function conditionalDiscriminator(config: ConditionalDiscriminatorConfig = {}): tf.LayersModel {
  const c = resolve(config);
  const combine = config.combine ?? "concat";
  const [height, width, channels] = c.imageShape;
  const x = tf.input({ shape: [height, width, channels], name: "x" }); // [batch, h, w, c]
  const y = labelInputTensor(c.labelInput, c.nClasses);
  let logit: tf.SymbolicTensor;
  if (combine === "concat" && c.arch === "mlp") {
    // The label vector (one-hot, or its embedding) appended to the flattened image.
    const yVec = c.labelInput === "onehot" ? y : labelVector(y, "embedding", c.nClasses, c.embeddingDim, "d_label_embedding");
    const phi = discriminatorBody(x, c, yVec);
    logit = tf.layers.dense({ units: 1, kernelInitializer: init(), name: "d_logit" }).apply(phi) as tf.SymbolicTensor; // [batch, 1]
  } else if (combine === "concat") {
    // One learned [h, w] plane per class, concatenated to the image as an extra channel.
    const plane = tf.layers.reshape({ targetShape: [height, width, 1] }).apply(labelVector(y, c.labelInput, c.nClasses, height * width, "d_label_plane")) as tf.SymbolicTensor;
    const xy = tf.layers.concatenate({ name: "d_concat" }).apply([x, plane]) as tf.SymbolicTensor; // [batch, h, w, c + 1]
    const phi = discriminatorBody(xy, c);
    logit = tf.layers.dense({ units: 1, kernelInitializer: init(), name: "d_logit" }).apply(phi) as tf.SymbolicTensor; // [batch, 1]
  } else if (combine === "projection") {
    // logit = ψ(φ(x)) + ⟨V_y, φ(x)⟩
    const phi = discriminatorBody(x, c); // [batch, F]
    const featureDim = c.arch === "mlp" ? c.mlpHidden[0] : c.denseUnits || (height / 4) * (width / 4) * 2 * c.base;
    const psi = tf.layers.dense({ units: 1, kernelInitializer: init(), name: "d_logit" }).apply(phi) as tf.SymbolicTensor; // [batch, 1]
    const v = labelVector(y, c.labelInput, c.nClasses, featureDim, "d_label_projection"); // [batch, F]
    const proj = tf.layers.dot({ axes: 1, name: "d_projection" }).apply([v, phi]) as tf.SymbolicTensor; // [batch, 1]
    logit = tf.layers.add({ name: "d_logit_total" }).apply([psi, proj]) as tf.SymbolicTensor;
  } else {
    throw new Error(`conditionalDiscriminator: combine must be "concat" or "projection", got "${combine}"`);
  }
  return tf.model({ inputs: [x, y], outputs: logit, name: "cgan_discriminator" });
}

/** One-hot encoding of class ids: [batch] int32 → [batch, nClasses] float32. */
export function oneHotLabels(labels: tf.Tensor1D, nClasses: number): tf.Tensor2D {
  return tf.tidy(() => tf.oneHot(tf.cast(labels, "int32") as tf.Tensor1D, nClasses).toFloat() as tf.Tensor2D);
}

/** Uniformly random class ids [n] int32, drawn from a seeded stream. */
export function uniformLabels(n: number, nClasses: number, rng: Rng): tf.Tensor1D {
  return tf.tensor1d(Array.from({ length: n }, () => rng.int(nClasses)), "int32");
}

/**
 * The trainer's `conditioning` for these networks: encodes labels as the networks expect
 * (one-hot [batch, nClasses], or ids [batch, 1] for an embedding) and samples fake labels
 * uniformly. `discriminator: false` is ACGAN's setting (D predicts the class instead).
 */
export function labelConditioning(options: { nClasses?: number; labelInput?: LabelInput; rng?: Rng; generator?: boolean; discriminator?: boolean } = {}): Conditioning {
  const nClasses = options.nClasses ?? 10;
  const labelInput = options.labelInput ?? "onehot";
  const rng = options.rng ?? createRng();
  return {
    encode: (labels) => (labelInput === "onehot" ? oneHotLabels(labels, nClasses) : tf.tidy(() => tf.reshape(tf.cast(labels, "float32"), [-1, 1]))),
    sampleLabels: (n) => uniformLabels(n, nClasses, rng),
    generator: options.generator,
    discriminator: options.discriminator,
  };
}

/** Class ids 0..nClasses−1, each repeated `perClass` times in a row: [nClasses · perClass] int32 (row-per-class grids). */
export function classGridLabels(nClasses: number, perClass: number): tf.Tensor1D {
  return tf.tensor1d(Array.from({ length: nClasses * perClass }, (_, i) => Math.floor(i / perClass)), "int32");
}
