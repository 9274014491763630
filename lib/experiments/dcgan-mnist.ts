/**
 * The DCGAN of lessons 05–07 (Radford, Metz & Chintala 2015; lib/models/dcgan.ts) as the course
 * trains it on MNIST, and its minibatch-discrimination variant (Salimans et al. 2016, §3.2):
 * the settings shared by the recipes "dcgan-mnist" / "dcgan-mnist-mbd" (lib/recipes/dcgan-mnist.ts)
 * and the lessons' live runs.
 *
 *   G: z[100] → dense 7·7·2b → BN → ReLU → ConvT(b, 4, s2) → BN → ReLU → ConvT(1, 4, s2) → tanh
 *   D: x[28, 28, 1] → Conv(b, 4, s2) → LeakyReLU → Conv(2b, 4, s2) → BN → LeakyReLU → flatten → dense 1
 *
 * with b = 32 (half the paper's width, so it trains on a CPU and its checkpoint stays small),
 * non-saturating loss, Adam(2e-4, β1 = 0.5), batch 64.
 *
 * Its FID after 3,000 steps (92.6 against a real-vs-real floor of 3.26) is far from lesson 05's
 * goal of 5× the floor. What else was measured (2,000 samples, the reference features): the same
 * run continued to 6,000 steps, 86.3; lrG 1e-3 with lrD 2e-4, 97.3 / 74.7 / 68.0 after 1,000 /
 * 2,000 / 3,000 steps; 1,000 more steps from the checkpoint with a generator averaged over the
 * last ~1,000 steps (Yazıcı et al. 2019), 87.9 against 90.3 without the average. The conditional
 * models of lesson 08, with a dense layer of 256 units in G, get 24–35 (cGAN, ACGAN).
 */
import * as tf from "@tensorflow/tfjs";
import { minibatchDiscrimination } from "../layers/minibatch-discrimination";
import { nonSaturatingLoss } from "../losses/non-saturating";
import { dcganDiscriminator, dcganGenerator } from "../models/dcgan";
import { GanTrainer } from "../train/trainer";

export const DCGAN_MNIST = {
  latentDim: 100,
  baseChannels: 32,
  batchSize: 64,
  lrG: 2e-4,
  lrD: 2e-4,
  beta1: 0.5,
  steps: 3000,
  seed: 5,
  /** Minibatch discrimination of the "-mbd" variant: B kernels of length C. */
  numKernels: 16,
  kernelDim: 4,
};

/**
 * The DCGAN discriminator with minibatch discrimination on its flattened features: D's own conv
 * layers, then [f, o(f)] (lib/layers/minibatch-discrimination), then a new dense logit.
 */
export function dcganMinibatchDiscriminator(config: { baseChannels?: number; numKernels?: number; kernelDim?: number } = {}): tf.LayersModel {
  const base = dcganDiscriminator({ baseChannels: config.baseChannels ?? DCGAN_MNIST.baseChannels });
  const flat = base.layers.find((l) => l.getClassName() === "Flatten");
  if (!flat) throw new Error("dcganMinibatchDiscriminator: the DCGAN discriminator has no Flatten layer");
  const features = flat.output as tf.SymbolicTensor; // [batch, 7·7·2b]
  const withMb = minibatchDiscrimination({ numKernels: config.numKernels ?? DCGAN_MNIST.numKernels, kernelDim: config.kernelDim ?? DCGAN_MNIST.kernelDim, name: "d_minibatch" }).apply(features) as tf.SymbolicTensor; // [batch, 7·7·2b + B]
  const logit = tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 0.02 }), name: "d_logit_mb" }).apply(withMb) as tf.SymbolicTensor; // [batch, 1]
  return tf.model({ inputs: base.inputs, outputs: logit, name: "discriminator" });
}

/**
 * The trainer of the DCGAN (or its minibatch-discrimination variant), as the recipes and the
 * lessons build it; `lrG`, `lrD` and `nCritic` can be overridden (lesson 05's failure demos).
 */
export function dcganMnistTrainer(options: { minibatch?: boolean; lrG?: number; lrD?: number; nCritic?: number } = {}): GanTrainer {
  const c = DCGAN_MNIST;
  return new GanTrainer({
    generator: dcganGenerator({ latentDim: c.latentDim, baseChannels: c.baseChannels }),
    discriminator: options.minibatch ? dcganMinibatchDiscriminator() : dcganDiscriminator({ baseChannels: c.baseChannels }),
    loss: nonSaturatingLoss,
    latentDim: c.latentDim,
    batchSize: c.batchSize,
    lrG: options.lrG ?? c.lrG,
    lrD: options.lrD ?? c.lrD,
    nCritic: options.nCritic ?? 1,
    beta1: c.beta1,
  });
}
