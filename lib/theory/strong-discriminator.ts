/**
 * The vanishing-gradient experiment (Goodfellow et al. 2014, §3; NIPS 2016 tutorial §3.2.3):
 * the same 1-D GAN, from the same initial weights and batches, trained once with the saturating
 * (minimax) generator loss and once with the non-saturating one — after its discriminator was
 * first trained to reject the generator's samples (D(G(z)) ≈ 0), as happens early in real training.
 *
 * Plain SGD for both players, as in the paper's theory: an adaptive optimizer such as Adam divides
 * each step by a running gradient scale and so partly hides how small the gradient is.
 */
import * as tf from "@tensorflow/tfjs";
import { Mixture1D, gaussian1d, sampleMixture } from "../data/mixture1d";
import { GanLoss } from "../losses/types";
import { mlpDiscriminator, mlpGenerator } from "../models/mlp";
import { createRng, seedGlobalRandom } from "../random";
import { GanTrainer } from "../train/trainer";
import { binnedJsd } from "./divergences";
import { fitDiscriminator } from "./fit-discriminator";
import { wassersteinToMixture } from "./wasserstein";

export interface StrongDiscriminatorConfig {
  loss: GanLoss;
  /** Seeds the initial weights, z and the data batches: same seed ⇒ same start for every loss. */
  seed: number;
  data?: Mixture1D; // N(3, 0.5)
  latentDim?: number; // 1
  hidden?: number[]; // [32, 32] for G and D
  batchSize?: number; // 128
  /** Adam steps that train D alone against the initial G before the game starts. */
  pretrainSteps?: number; // 200
  pretrainLr?: number; // 1e-2
  /** Generator steps of the game (each after one D step), plain SGD. */
  steps?: number; // 400
  lrG?: number; // 0.05
  lrD?: number; // 0.05
  /** Measure the distance to the data every this many steps. */
  evalEvery?: number; // 50
  evalSamples?: number; // 2000
}

export interface StrongDiscriminatorResult {
  loss: string;
  seed: number;
  /** Mean D(G(z)) when the game starts (after D's head start). */
  dFakeStart: number;
  /** ‖∇_θG L_G‖ at every generator step. */
  gradNormG: number[];
  /** Steps at which the distances were measured (0 = start of the game). */
  evalSteps: number[];
  /** W1(p_g, p_data) at evalSteps. */
  w1: number[];
  /** Binned JSD(p_g ‖ p_data) at evalSteps. */
  jsd: number[];
}

/** Run the experiment for one loss and one seed. */
export async function strongDiscriminatorRun(config: StrongDiscriminatorConfig): Promise<StrongDiscriminatorResult> {
  const pData = config.data ?? gaussian1d(3, 0.5);
  const latentDim = config.latentDim ?? 1;
  const hidden = config.hidden ?? [32, 32];
  const batchSize = config.batchSize ?? 128;
  const steps = config.steps ?? 400;
  const evalEvery = config.evalEvery ?? 50;
  const evalSamples = config.evalSamples ?? 2000;

  seedGlobalRandom(config.seed); // initial weights and every unseeded tf.random* op from here on
  const rng = createRng(config.seed); // the data batches
  const generator = mlpGenerator({ latentDim, dataDim: 1, hidden });
  const discriminator = mlpDiscriminator({ dataDim: 1, hidden });
  const zEval = tf.randomNormal([evalSamples, latentDim], 0, 1, "float32", config.seed); // [evalSamples, latentDim]
  const sampleReal = (n: number) => sampleMixture(pData, n, rng);

  // D's head start against the initial generator.
  fitDiscriminator({
    discriminator,
    sampleReal,
    sampleFake: (n) => tf.tidy(() => generator.predict(tf.randomNormal([n, latentDim])) as tf.Tensor),
    steps: config.pretrainSteps ?? 200,
    batchSize,
    lr: config.pretrainLr ?? 1e-2,
  });
  const dFakeStart = tf.tidy(() => tf.mean(tf.sigmoid(discriminator.predict(generator.predict(zEval) as tf.Tensor) as tf.Tensor)).dataSync()[0]);

  const trainer = new GanTrainer({
    generator,
    discriminator,
    loss: config.loss,
    latentDim,
    batchSize,
    optimizerG: tf.train.sgd(config.lrG ?? 0.05),
    optimizerD: tf.train.sgd(config.lrD ?? 0.05),
    trackGradNorms: true,
  });
  const evalSteps: number[] = [];
  const w1: number[] = [];
  const jsd: number[] = [];
  const measure = (step: number) => {
    const samples = generator.predict(zEval) as tf.Tensor; // [evalSamples, 1]
    const xs = samples.dataSync() as Float32Array;
    samples.dispose();
    evalSteps.push(step);
    w1.push(wassersteinToMixture(xs, pData));
    jsd.push(binnedJsd(xs, pData));
  };
  try {
    measure(0);
    await trainer.train({
      steps,
      sampleReal: (n) => ({ x: sampleReal(n) }),
      callbacks: [({ step }) => (step % evalEvery === 0 ? measure(step) : undefined)],
    });
  } finally {
    trainer.dispose();
    tf.dispose(zEval);
    generator.dispose();
    discriminator.dispose();
  }
  return { loss: config.loss.name, seed: config.seed, dFakeStart, gradNormG: trainer.history.gradNormG, evalSteps, w1, jsd };
}
