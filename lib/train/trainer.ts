/**
 * One GAN trainer for every lesson (Goodfellow et al. 2014, Algorithm 1, with the usual
 * practical choices of Radford et al. 2015: Adam, β1 = 0.5).
 *
 * Per generator step the discriminator (critic) takes `nCritic` steps, each on a fresh real batch
 * and fresh fakes; then the generator takes one step through the (fixed) discriminator. The loss
 * is pluggable ({ discriminator(dReal, dFake), generator(dFake) }, see lib/losses); extra terms
 * (gradient penalty, ACGAN's auxiliary classifier, InfoGAN's mutual information, pix2pix's L1) are
 * `Regularizer`s that see everything a step computed. Learning rates are separate (TTUR, Heusel et
 * al. 2017). The trainer returns metrics and calls callbacks; it never prints or plots.
 *
 * Conditioning (cGAN, Mirza & Osindero 2014): give `conditioning`; G then takes [z, c] and D takes
 * [x, c], with c = conditioning.encode(labels). Other input layouts (pix2pix feeds a source image)
 * go through `generatorInputs` / `discriminatorInputs`.
 */
import * as tf from "@tensorflow/tfjs";
import { GanLoss } from "../losses/types";

/** A batch of real data. `labels` are class ids; other fields (e.g. `source`) are free for custom inputs. */
export interface RealBatch {
  x: tf.Tensor; // [batch, ...]
  labels?: tf.Tensor1D; // [batch] int32
  [extra: string]: tf.Tensor | undefined;
}

export interface Conditioning {
  /** Class ids [batch] → the condition fed to the networks, e.g. one-hot [batch, nClasses]. */
  encode(labels: tf.Tensor1D): tf.Tensor;
  /** Random class ids for fake samples, [batch] int32. */
  sampleLabels(batchSize: number): tf.Tensor1D;
  /** Feed the condition to G. Default true. */
  generator?: boolean;
  /** Feed the condition to D. Default true (false for ACGAN, whose D predicts the class instead). */
  discriminator?: boolean;
}

/** Everything one step computed; what regularizers and callbacks can look at. */
export interface StepContext {
  real: RealBatch;
  z: tf.Tensor; // [batch, latentDim]
  xFake: tf.Tensor; // [batch, ...]
  labelsFake?: tf.Tensor1D; // [batch]
  /** All discriminator outputs on real and fake data; [0] is the adversarial logit. */
  dRealOutputs: tf.Tensor[];
  dFakeOutputs: tf.Tensor[];
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
}

/** An extra loss term, added to D's loss, G's loss, or both; logged under its name. */
export interface Regularizer {
  name: string;
  discriminator?(ctx: StepContext): tf.Scalar;
  generator?(ctx: StepContext): tf.Scalar;
}

export type StepMetrics = Record<string, number>; // lossD, lossG, <regularizer>D, <regularizer>G, gradNormG, gradNormD

export interface StepInfo {
  step: number; // 1-based generator step
  metrics: StepMetrics;
  trainer: GanTrainer;
}

/** Called after every generator step; return "stop" to end training early. */
export type TrainerCallback = (info: StepInfo) => void | "stop" | Promise<void | "stop">;

export interface GanTrainerConfig {
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  loss: GanLoss;
  latentDim: number;
  batchSize?: number; // 64
  nCritic?: number; // 1: discriminator steps per generator step
  lrG?: number; // 2e-4 (Radford et al. 2015)
  lrD?: number; // 2e-4; TTUR uses e.g. lrD = 4e-4, lrG = 1e-4
  beta1?: number; // 0.5
  beta2?: number; // 0.999
  /** Replace the Adam optimizers (e.g. plain SGD for a theory lesson). */
  optimizerG?: tf.Optimizer;
  optimizerD?: tf.Optimizer;
  /** z ~ p_z; default N(0, I) of shape [batch, latentDim]. */
  sampleLatent?: (batchSize: number) => tf.Tensor;
  conditioning?: Conditioning;
  regularizers?: Regularizer[];
  /** Custom G inputs (default: z, or [z, c] when conditioned). */
  generatorInputs?: (z: tf.Tensor, real: RealBatch, labelsFake?: tf.Tensor1D) => tf.Tensor | tf.Tensor[];
  /** Custom D inputs for an image x (default: x, or [x, c] when conditioned). */
  discriminatorInputs?: (x: tf.Tensor, real: RealBatch, labels?: tf.Tensor1D) => tf.Tensor | tf.Tensor[];
  /** Record ‖∇G‖ and ‖∇D‖ (global L2 norms of the gradients) every step. Default false. */
  trackGradNorms?: boolean;
}

export interface TrainOptions {
  steps: number;
  /** Draw a real batch; the trainer disposes it after use. */
  sampleReal: (batchSize: number) => RealBatch;
  callbacks?: TrainerCallback[];
}

/** Column-wise history: history.step[i], history.lossD[i], ... */
export type TrainHistory = Record<string, number[]>;

const asArray = (t: tf.Tensor | tf.Tensor[]): tf.Tensor[] => (Array.isArray(t) ? t : [t]);

function globalNorm(grads: tf.NamedTensorMap): number {
  return tf.tidy(() => {
    const squares = Object.values(grads).map((g) => tf.sum(tf.square(g)));
    return Math.sqrt(tf.addN(squares).dataSync()[0]);
  });
}

export class GanTrainer {
  readonly config: Required<Pick<GanTrainerConfig, "batchSize" | "nCritic" | "lrG" | "lrD" | "beta1" | "beta2" | "trackGradNorms">> & GanTrainerConfig;
  readonly optimizerG: tf.Optimizer;
  readonly optimizerD: tf.Optimizer;
  readonly history: TrainHistory = { step: [] };
  /** Generator steps taken so far (continues across `train` calls). */
  stepCount = 0;

  constructor(config: GanTrainerConfig) {
    this.config = { batchSize: 64, nCritic: 1, lrG: 2e-4, lrD: 2e-4, beta1: 0.5, beta2: 0.999, trackGradNorms: false, ...config };
    const c = this.config;
    if (!(c.nCritic >= 1 && Number.isInteger(c.nCritic))) throw new Error(`GanTrainer: nCritic must be a positive integer, got ${c.nCritic}`);
    if (!(c.batchSize >= 1)) throw new Error(`GanTrainer: batchSize must be positive, got ${c.batchSize}`);
    this.optimizerG = c.optimizerG ?? tf.train.adam(c.lrG, c.beta1, c.beta2);
    this.optimizerD = c.optimizerD ?? tf.train.adam(c.lrD, c.beta1, c.beta2);
  }

  get generator(): tf.LayersModel {
    return this.config.generator;
  }
  get discriminator(): tf.LayersModel {
    return this.config.discriminator;
  }

  sampleLatent(batchSize: number): tf.Tensor {
    return this.config.sampleLatent ? this.config.sampleLatent(batchSize) : tf.randomNormal([batchSize, this.config.latentDim]);
  }

  private gInputs(z: tf.Tensor, real: RealBatch, labelsFake?: tf.Tensor1D): tf.Tensor | tf.Tensor[] {
    const c = this.config;
    if (c.generatorInputs) return c.generatorInputs(z, real, labelsFake);
    if (c.conditioning && c.conditioning.generator !== false && labelsFake) return [z, c.conditioning.encode(labelsFake)];
    return z;
  }

  private dInputs(x: tf.Tensor, real: RealBatch, labels?: tf.Tensor1D): tf.Tensor | tf.Tensor[] {
    const c = this.config;
    if (c.discriminatorInputs) return c.discriminatorInputs(x, real, labels);
    if (c.conditioning && c.conditioning.discriminator !== false && labels) return [x, c.conditioning.encode(labels)];
    return x;
  }

  /** D's outputs (all heads) on a batch, in training mode. */
  discriminate(x: tf.Tensor, real: RealBatch, labels?: tf.Tensor1D): tf.Tensor[] {
    return asArray(this.discriminator.apply(this.dInputs(x, real, labels), { training: true }) as tf.Tensor | tf.Tensor[]);
  }

  /** Generate `n` samples in inference mode (batch norm uses its moving statistics). */
  generate(n: number, options: { labels?: tf.Tensor1D; z?: tf.Tensor; real?: RealBatch } = {}): tf.Tensor {
    return tf.tidy(() => {
      const z = options.z ?? this.sampleLatent(n);
      const labels = options.labels ?? (this.config.conditioning ? this.config.conditioning.sampleLabels(n) : undefined);
      const real = options.real ?? { x: z };
      return this.generator.apply(this.gInputs(z, real, labels), { training: false }) as tf.Tensor;
    });
  }

  private trainableVars(model: tf.LayersModel): tf.Variable[] {
    return model.trainableWeights.map((w) => w.read() as tf.Variable);
  }

  /** One discriminator step on a real batch; returns its metrics. */
  private discriminatorStep(real: RealBatch): StepMetrics {
    const c = this.config;
    const batch = real.x.shape[0];
    const regValues: Record<string, tf.Scalar> = {};
    const { value, grads } = tf.tidy(() => {
      const z = this.sampleLatent(batch);
      const labelsFake = c.conditioning?.sampleLabels(batch);
      // The fakes are constants for D's update: no gradient flows into G here.
      const xFake = this.generator.apply(this.gInputs(z, real, labelsFake), { training: true }) as tf.Tensor;
      return tf.variableGrads(() => {
        const dRealOutputs = this.discriminate(real.x, real, real.labels);
        const dFakeOutputs = this.discriminate(xFake, real, labelsFake);
        const loss = c.loss.discriminator(dRealOutputs[0], dFakeOutputs[0]);
        const ctx: StepContext = { real, z, xFake, labelsFake, dRealOutputs, dFakeOutputs, generator: this.generator, discriminator: this.discriminator };
        return this.withRegularizers("discriminator", loss, ctx, regValues);
      }, this.trainableVars(this.discriminator));
    });
    return this.applyStep("D", this.optimizerD, value, grads, regValues);
  }

  /** loss + every regularizer's term for `role`; each term is kept (by name) for logging. */
  private withRegularizers(role: "discriminator" | "generator", loss: tf.Scalar, ctx: StepContext, regValues: Record<string, tf.Scalar>): tf.Scalar {
    for (const r of this.config.regularizers ?? []) {
      const term = r[role]?.(ctx);
      if (!term) continue;
      regValues[r.name] = tf.keep(term);
      loss = tf.add(loss, term);
    }
    return loss;
  }

  /** Apply the gradients and read the step's metrics (suffix "D" or "G"); disposes what the step made. */
  private applyStep(suffix: "D" | "G", optimizer: tf.Optimizer, value: tf.Scalar, grads: tf.NamedTensorMap, regValues: Record<string, tf.Scalar>): StepMetrics {
    const metrics: StepMetrics = {};
    if (this.config.trackGradNorms) metrics[`gradNorm${suffix}`] = globalNorm(grads);
    optimizer.applyGradients(grads);
    metrics[`loss${suffix}`] = value.dataSync()[0];
    for (const [name, t] of Object.entries(regValues)) metrics[`${name}${suffix}`] = t.dataSync()[0];
    tf.dispose([value, ...Object.values(grads), ...Object.values(regValues)]);
    return metrics;
  }

  /** One generator step (a fresh z; the real batch is only needed by custom inputs/regularizers). */
  private generatorStep(real: RealBatch): StepMetrics {
    const c = this.config;
    const batch = real.x.shape[0];
    const regValues: Record<string, tf.Scalar> = {};
    const { value, grads } = tf.tidy(() => {
      const z = this.sampleLatent(batch);
      const labelsFake = c.conditioning?.sampleLabels(batch);
      return tf.variableGrads(() => {
        const xFake = this.generator.apply(this.gInputs(z, real, labelsFake), { training: true }) as tf.Tensor;
        const dFakeOutputs = this.discriminate(xFake, real, labelsFake);
        const loss = c.loss.generator(dFakeOutputs[0]);
        const ctx: StepContext = { real, z, xFake, labelsFake, dRealOutputs: [], dFakeOutputs, generator: this.generator, discriminator: this.discriminator };
        return this.withRegularizers("generator", loss, ctx, regValues);
      }, this.trainableVars(this.generator));
    });
    return this.applyStep("G", this.optimizerG, value, grads, regValues);
  }

  /** One generator step preceded by nCritic discriminator steps. */
  step(sampleReal: (batchSize: number) => RealBatch): StepMetrics {
    const c = this.config;
    let metrics: StepMetrics = {};
    for (let k = 0; k < c.nCritic; k++) {
      const real = sampleReal(c.batchSize);
      try {
        metrics = { ...metrics, ...this.discriminatorStep(real) };
      } finally {
        tf.dispose(Object.values(real).filter((t): t is tf.Tensor => t instanceof tf.Tensor));
      }
    }
    const real = sampleReal(c.batchSize);
    try {
      metrics = { ...metrics, ...this.generatorStep(real) };
    } finally {
      tf.dispose(Object.values(real).filter((t): t is tf.Tensor => t instanceof tf.Tensor));
    }
    this.stepCount += 1;
    return metrics;
  }

  /** Train for `steps` generator steps; returns the whole history (also kept on `this.history`). */
  async train(options: TrainOptions): Promise<TrainHistory> {
    for (let i = 0; i < options.steps; i++) {
      const metrics = this.step(options.sampleReal);
      this.record(metrics);
      let stop = false;
      for (const cb of options.callbacks ?? []) {
        if ((await cb({ step: this.stepCount, metrics, trainer: this })) === "stop") stop = true;
      }
      if (stop) break;
    }
    return this.history;
  }

  private record(metrics: StepMetrics): void {
    const n = this.history.step.length;
    this.history.step.push(this.stepCount);
    for (const [k, v] of Object.entries(metrics)) {
      if (!this.history[k]) this.history[k] = new Array(n).fill(NaN);
      this.history[k].push(v);
    }
    for (const k of Object.keys(this.history)) if (this.history[k].length === n) this.history[k].push(NaN);
  }

  /** Release the optimizers' state. The models belong to the caller. */
  dispose(): void {
    this.optimizerG.dispose();
    this.optimizerD.dispose();
  }
}
