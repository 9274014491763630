/**
 * The Dirac-GAN (Mescheder et al. 2018, §2.2) trained by lib's real GanTrainer.
 *
 * Data: a point mass at 0. Generator: a point mass at θ, i.e. a dense layer whose latent input is
 * always 0, so G(z) = bias = θ. Discriminator: a linear logit D(x) = ψ·x (one weight, no bias).
 * With the minimax loss and plain SGD, the trainer's alternating steps (D first, then G) are
 * exactly alternating gradient descent–ascent on diracGame (game.ts), so the whole theory of the
 * xy game applies to a real GAN training loop.
 */
import * as tf from "@tensorflow/tfjs";
import { minimaxLoss } from "../losses/minimax";
import { GanLoss } from "../losses/types";
import { GanTrainer, Regularizer } from "../train/trainer";

/** G: z [batch, 1] → θ [batch, 1]; fed z = 0, only the bias θ matters. */
export function diracGenerator(theta0: number): tf.LayersModel {
  return tf.sequential({
    name: "dirac_generator",
    layers: [tf.layers.dense({ units: 1, inputShape: [1], kernelInitializer: "zeros", biasInitializer: tf.initializers.constant({ value: theta0 }) })],
  });
}

/** D: x [batch, 1] → logit ψ·x [batch, 1]. */
export function diracDiscriminator(psi0: number): tf.LayersModel {
  return tf.sequential({
    name: "dirac_discriminator",
    layers: [tf.layers.dense({ units: 1, inputShape: [1], useBias: false, kernelInitializer: tf.initializers.constant({ value: psi0 }) })],
  });
}

export interface DiracGanConfig {
  theta0: number;
  psi0: number;
  lr: number; // plain SGD, for both players
  steps: number;
  loss?: GanLoss; // minimaxLoss
  regularizers?: Regularizer[];
}

export interface DiracGanRun {
  /** θ_0 … θ_steps and ψ_0 … ψ_steps. */
  theta: number[];
  psi: number[];
  /** ‖(θ, ψ)‖ to the equilibrium (0, 0). */
  distance: number[];
}

/** The generator's θ and the discriminator's ψ as numbers. */
export function diracParameters(generator: tf.LayersModel, discriminator: tf.LayersModel): [number, number] {
  const theta = generator.layers[0].getWeights()[1].dataSync()[0];
  const psi = discriminator.layers[0].getWeights()[0].dataSync()[0];
  return [theta, psi];
}

/** Train the Dirac-GAN with GanTrainer (SGD, batch of 1, z = 0); returns the parameter trajectory. */
export async function trainDiracGan(config: DiracGanConfig): Promise<DiracGanRun> {
  const generator = diracGenerator(config.theta0);
  const discriminator = diracDiscriminator(config.psi0);
  const trainer = new GanTrainer({
    generator,
    discriminator,
    loss: config.loss ?? minimaxLoss,
    latentDim: 1,
    batchSize: 1,
    optimizerG: tf.train.sgd(config.lr),
    optimizerD: tf.train.sgd(config.lr),
    sampleLatent: (n) => tf.zeros([n, 1]), // [batch, 1]: the Dirac generator ignores its noise
    regularizers: config.regularizers,
  });
  const run: DiracGanRun = { theta: [], psi: [], distance: [] };
  const record = () => {
    const [theta, psi] = diracParameters(generator, discriminator);
    run.theta.push(theta);
    run.psi.push(psi);
    run.distance.push(Math.hypot(theta, psi));
  };
  try {
    record();
    await trainer.train({ steps: config.steps, sampleReal: (n) => ({ x: tf.zeros([n, 1]) }), callbacks: [() => record()] });
  } finally {
    trainer.dispose();
    generator.dispose();
    discriminator.dispose();
  }
  return run;
}
