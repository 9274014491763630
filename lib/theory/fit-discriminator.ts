/**
 * Train a discriminator alone, against a fixed generator: the inner "max_D" of the minimax game.
 *
 * Why: Proposition 1 of Goodfellow et al. (2014) says the best discriminator for fixed p_g is
 * D*(x) = p_data / (p_data + p_g). Fitting a network by minimising the cross-entropy (= maximising
 * V(D, G)) on samples shows it approaches D*. Lesson 2 also uses it to make D strong before G
 * starts learning. GanTrainer always alternates D and G steps; this is the D-only loop.
 */
import * as tf from "@tensorflow/tfjs";
import { discriminatorBce } from "../losses/minimax";

export interface FitDiscriminatorConfig {
  discriminator: tf.LayersModel; // x [batch, dataDim] → logit [batch, 1]
  /** Real batch; disposed after use. */
  sampleReal: (batchSize: number) => tf.Tensor;
  /** Fake batch (samples of p_g); disposed after use. */
  sampleFake: (batchSize: number) => tf.Tensor;
  steps: number;
  batchSize?: number; // 128
  lr?: number; // 1e-3, for the default Adam(lr, 0.5, 0.999)
  optimizer?: tf.Optimizer; // replaces the default Adam (and is not disposed)
}

/** Minimise the discriminator's cross-entropy for `steps` steps; returns the loss per step. */
export function fitDiscriminator(config: FitDiscriminatorConfig): number[] {
  const batchSize = config.batchSize ?? 128;
  const optimizer = config.optimizer ?? tf.train.adam(config.lr ?? 1e-3, 0.5, 0.999);
  const vars = config.discriminator.trainableWeights.map((w) => w.read() as tf.Variable);
  const losses: number[] = [];
  try {
    for (let s = 0; s < config.steps; s++) {
      const xReal = config.sampleReal(batchSize);
      const xFake = config.sampleFake(batchSize);
      const { value, grads } = tf.variableGrads(() => {
        const dReal = config.discriminator.apply(xReal, { training: true }) as tf.Tensor;
        const dFake = config.discriminator.apply(xFake, { training: true }) as tf.Tensor;
        return discriminatorBce(dReal, dFake);
      }, vars);
      optimizer.applyGradients(grads);
      losses.push(value.dataSync()[0]);
      tf.dispose([xReal, xFake, value, ...Object.values(grads)]);
    }
  } finally {
    if (!config.optimizer) optimizer.dispose();
  }
  return losses;
}

/** σ(D(x)) at each point of a 1-D grid: the discriminator's probability that x is real. */
export function discriminatorProbabilities(discriminator: tf.LayersModel, xs: number[]): number[] {
  return tf.tidy(() => {
    const logits = discriminator.predict(tf.tensor2d(xs, [xs.length, 1])) as tf.Tensor; // [n, 1]
    return Array.from(tf.sigmoid(logits).dataSync());
  });
}

/**
 * The discriminator as a plain function x → σ(D(x)) on [lo, hi], by evaluating it once on `n`
 * grid points and interpolating linearly (constant beyond the ends). Lets integrals such as
 * V(D, G) call a network at thousands of points without thousands of predict calls.
 */
export function discriminatorFunction(discriminator: tf.LayersModel, range: [number, number], n = 4001): (x: number) => number {
  const [lo, hi] = range;
  const xs = Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
  const ps = discriminatorProbabilities(discriminator, xs);
  const h = (hi - lo) / (n - 1);
  return (x: number) => {
    if (x <= lo) return ps[0];
    if (x >= hi) return ps[n - 1];
    const u = (x - lo) / h;
    const i = Math.min(n - 2, Math.floor(u));
    const t = u - i;
    return (1 - t) * ps[i] + t * ps[i + 1];
  };
}
