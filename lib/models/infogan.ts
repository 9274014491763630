/**
 * InfoGAN (Chen, Duan, Houthooft, Schulman, Sutskever & Abbeel 2016, "InfoGAN: Interpretable
 * Representation Learning by Information Maximizing Generative Adversarial Nets").
 *
 * The latent vector is split into incompressible noise and a *code* c: here one categorical code
 * (10 values, one-hot) and a few continuous codes, uniform on [−1, 1]:
 *
 *   z = [noise (noiseDim, N(0, I)) | one-hot c₁ (nCategories) | c₂…c_{1+nContinuous} (U(−1, 1))]
 *
 * Nothing tells G what the code should mean. InfoGAN asks that the code stay *recoverable* from the
 * sample: it maximises the mutual information I(c; G(z, c)). That is intractable, so it maximises
 * the variational lower bound
 *
 *   L_I(G, Q) = E_{c ~ p(c), x ~ G(z, c)}[log Q(c | x)] + H(c)  ≤  I(c; G(z, c))
 *
 * with an auxiliary network Q that shares D's body. The game is min_{G,Q} max_D V(D, G) − λ L_I.
 * H(c) is a constant, so the term to minimise is the negative log-likelihood of the code under Q:
 * a cross-entropy for the categorical code and, for the continuous codes, a Gaussian with unit
 * variance, ½(c − μ_Q(x))² (plus a constant). Both G and Q (D's body and Q head) minimise it.
 *
 * Without labels, the cheapest way for G to make a 10-valued code recoverable on MNIST is to tie
 * it to the digit class; the continuous codes tend to take smooth factors such as slant and width.
 */
import * as tf from "@tensorflow/tfjs";
import { Regularizer } from "../train/trainer";
import { Rng, createRng } from "../random";
import { ConditionalGanConfig, discriminatorBody, generatorTrunk } from "./conditional";
import { classCrossEntropy } from "./acgan";

export interface InfoGanCodes {
  /** Dimensions of the incompressible noise. */
  noiseDim?: number; // 62 (the paper's MNIST setting)
  /** Values of the categorical code. */
  nCategories?: number; // 10
  /** Number of continuous codes. */
  nContinuous?: number; // 2
}

export interface InfoGanConfig extends InfoGanCodes, Omit<ConditionalGanConfig, "labelInput" | "embeddingDim" | "latentDim" | "nClasses"> {
  /** Width of Q's hidden layer on top of D's body. */
  qHidden?: number; // 128
}

export function resolveCodes(codes: InfoGanCodes = {}): Required<InfoGanCodes> & { latentDim: number } {
  const noiseDim = codes.noiseDim ?? 62;
  const nCategories = codes.nCategories ?? 10;
  const nContinuous = codes.nContinuous ?? 2;
  if (!(noiseDim >= 0 && nCategories >= 2 && nContinuous >= 0)) throw new Error(`InfoGAN codes: need noiseDim ≥ 0, nCategories ≥ 2, nContinuous ≥ 0, got ${noiseDim}, ${nCategories}, ${nContinuous}`);
  return { noiseDim, nCategories, nContinuous, latentDim: noiseDim + nCategories + nContinuous };
}

function trunkConfig(config: InfoGanConfig) {
  return { base: config.baseChannels ?? 32, imageShape: config.imageShape ?? ([28, 28, 1] as [number, number, number]), leakyAlpha: config.leakyAlpha ?? 0.2, arch: config.arch ?? "conv", mlpHidden: config.mlpHidden ?? [256, 512], denseUnits: config.denseUnits ?? 0 };
}

/** G: z = [noise | c₁ | c_cont] [batch, latentDim] → images [batch, h, w, c] in [-1, 1]. */
export function infoganGenerator(config: InfoGanConfig = {}): tf.LayersModel {
  const { latentDim } = resolveCodes(config);
  const z = tf.input({ shape: [latentDim], name: "z" });
  return tf.model({ inputs: z, outputs: generatorTrunk(z, trunkConfig(config)), name: "infogan_generator" });
}

/**
 * D and Q on one body: x → [source logit [batch, 1], Q's categorical logits [batch, nCategories],
 * Q's continuous means [batch, nContinuous]] (the last only when nContinuous > 0).
 */
export function infoganDiscriminator(config: InfoGanConfig = {}): tf.LayersModel {
  const codes = resolveCodes(config);
  const t = trunkConfig(config);
  const x = tf.input({ shape: t.imageShape, name: "x" });
  const phi = discriminatorBody(x, t);
  const init = tf.initializers.randomNormal({ mean: 0, stddev: 0.02 });
  const source = tf.layers.dense({ units: 1, kernelInitializer: init, name: "d_source" }).apply(phi) as tf.SymbolicTensor; // [batch, 1]
  let q = tf.layers.dense({ units: config.qHidden ?? 128, kernelInitializer: init, name: "q_dense" }).apply(phi) as tf.SymbolicTensor;
  q = tf.layers.leakyReLU({ alpha: t.leakyAlpha }).apply(q) as tf.SymbolicTensor; // [batch, qHidden]
  const qCat = tf.layers.dense({ units: codes.nCategories, kernelInitializer: init, name: "q_categorical" }).apply(q) as tf.SymbolicTensor; // [batch, nCategories]
  const outputs = [source, qCat];
  if (codes.nContinuous > 0) outputs.push(tf.layers.dense({ units: codes.nContinuous, kernelInitializer: init, name: "q_continuous" }).apply(q) as tf.SymbolicTensor); // [batch, nContinuous]
  return tf.model({ inputs: x, outputs, name: "infogan_discriminator" });
}

export interface InfoGanLatentParts {
  noise: tf.Tensor2D; // [batch, noiseDim]
  categorical: tf.Tensor2D; // [batch, nCategories] one-hot
  continuous: tf.Tensor2D; // [batch, nContinuous]
}

/** Split z [batch, latentDim] into its noise, categorical and continuous parts. */
export function splitInfoganLatent(z: tf.Tensor, codes: InfoGanCodes = {}): InfoGanLatentParts {
  const c = resolveCodes(codes);
  if (z.shape[1] !== c.latentDim) throw new Error(`splitInfoganLatent: z has ${z.shape[1]} dimensions, the codes need ${c.latentDim}`);
  const [noise, categorical, continuous] = tf.split(z, [c.noiseDim, c.nCategories, c.nContinuous], 1) as tf.Tensor2D[];
  return { noise, categorical, continuous };
}

/**
 * Build z from chosen codes: `categories` [n] (values 0..nCategories−1), optional `continuous`
 * [n][nContinuous] (default 0) and optional `noise` [n, noiseDim] (default N(0, I)).
 */
export function infoganLatent(codes: InfoGanCodes, parts: { categories: number[]; continuous?: number[][]; noise?: tf.Tensor2D }): tf.Tensor2D {
  const c = resolveCodes(codes);
  const n = parts.categories.length;
  return tf.tidy(() => {
    const noise = parts.noise ?? tf.randomNormal([n, c.noiseDim]);
    if (noise.shape[0] !== n || noise.shape[1] !== c.noiseDim) throw new Error(`infoganLatent: noise must be [${n}, ${c.noiseDim}], got [${noise.shape}]`);
    const cat = tf.oneHot(tf.tensor1d(parts.categories, "int32"), c.nCategories).toFloat();
    const cont = parts.continuous ? tf.tensor2d(parts.continuous, [n, c.nContinuous]) : tf.zeros([n, c.nContinuous]);
    return tf.concat([noise, cat, cont], 1) as tf.Tensor2D;
  });
}

/** The trainer's `sampleLatent`: noise ~ N(0, I), c₁ uniform over the categories, c_cont ~ U(−1, 1). */
export function infoganLatentSampler(codes: InfoGanCodes = {}, rng: Rng = createRng()): (batchSize: number) => tf.Tensor2D {
  const c = resolveCodes(codes);
  return (n) => tf.tidy(() => {
    const categories = Array.from({ length: n }, () => rng.int(c.nCategories));
    const continuous = Array.from({ length: n }, () => Array.from({ length: c.nContinuous }, () => 2 * rng.uniform() - 1));
    return infoganLatent(c, { categories, continuous, noise: tf.randomNormal([n, c.noiseDim], 0, 1, "float32", rng.seed()) as tf.Tensor2D });
  });
}

/**
 * −L_I up to the constant H(c): the cross-entropy of Q's categorical logits against the one-hot
 * code, plus `continuousWeight` · the mean over codes of ½(c − μ_Q)², a unit-variance Gaussian
 * negative log-likelihood without its constant.
 */
export function infoganInformationLoss(
  qCategoricalLogits: tf.Tensor, // [batch, nCategories]
  categoricalOneHot: tf.Tensor, // [batch, nCategories]
  qContinuousMean?: tf.Tensor, // [batch, nContinuous]
  continuous?: tf.Tensor, // [batch, nContinuous]
  continuousWeight = 1,
): tf.Scalar {
  return tf.tidy(() => {
    const ce = tf.neg(tf.mean(tf.sum(tf.mul(categoricalOneHot, tf.logSoftmax(qCategoricalLogits as tf.Tensor2D)), 1)));
    if (!qContinuousMean || !continuous || continuous.shape[1] === 0) return ce as tf.Scalar;
    const gaussian = tf.mean(tf.mul(0.5, tf.square(tf.sub(continuous, qContinuousMean))));
    return tf.add(ce, tf.mul(continuousWeight, gaussian)) as tf.Scalar;
  });
}

export interface InfoGanRegularizerConfig extends InfoGanCodes {
  /** λ: weight of the information term in both D/Q's and G's losses. */
  weight?: number; // 1 (the paper's value for discrete codes)
  /** Weight of the continuous codes' term inside it. */
  continuousWeight?: number; // 1
}

/** λ·(−L_I) on the fakes, added to D's (i.e. Q's) loss and to G's loss; logged as "infoD" / "infoG". */
export function infoganRegularizer(config: InfoGanRegularizerConfig = {}): Regularizer {
  const weight = config.weight ?? 1;
  const continuousWeight = config.continuousWeight ?? 1;
  const term = (z: tf.Tensor, outputs: tf.Tensor[]) => tf.tidy(() => {
    if (outputs.length < 2) throw new Error("infoganRegularizer: the discriminator needs Q heads as outputs [1] (and [2])");
    const { categorical, continuous } = splitInfoganLatent(z, config);
    return tf.mul(weight, infoganInformationLoss(outputs[1], categorical, outputs[2], continuous, continuousWeight)) as tf.Scalar;
  });
  return {
    name: "info",
    discriminator: (ctx) => term(ctx.z, ctx.dFakeOutputs),
    generator: (ctx) => term(ctx.z, ctx.dFakeOutputs),
  };
}

/** Q's reading of images: the most likely categorical code [n] and the continuous means [n, nContinuous]. */
export function infoganInferCodes(discriminator: tf.LayersModel, images: tf.Tensor, batchSize = 500): { categories: Int32Array; continuous: number[][] } {
  const n = images.shape[0];
  const categories = new Int32Array(n);
  const continuous: number[][] = [];
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const out = tf.tidy(() => {
      const x = tf.slice(images, start, size);
      const o = discriminator.predict(x) as tf.Tensor[];
      return [tf.argMax(o[1], 1), o[2] ?? tf.zeros([size, 0])];
    });
    categories.set(out[0].dataSync(), start);
    const cont = out[1].arraySync() as number[][];
    continuous.push(...cont);
    tf.dispose(out);
  }
  return { categories, continuous };
}
