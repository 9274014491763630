/**
 * Training for autoencoders and VAEs — not GANs, so not `GanTrainer`: there is no discriminator
 * and no game, only one loss minimized jointly over encoder and decoder with Adam:
 *
 *   autoencoder:  E_x[−log p(x | z = f(x))]                       (reconstruction only)
 *   VAE:          E_x[−ELBO(x)] = E_x[reconstruction + β·KL(q(z|x) ‖ N(0, I))]   (lib/models/vae.ts)
 *
 * The interface mirrors GanTrainer's where it can (step/train/history/callbacks, never prints).
 */
import * as tf from "@tensorflow/tfjs";
import { bernoulliNll } from "../models/autoencoder";
import { negativeElbo } from "../models/vae";
import { TrainHistory } from "./trainer";

export interface VaeTrainerConfig {
  encoder: tf.LayersModel; // VAE: two outputs [mean, logVar]; autoencoder: one output z
  decoder: tf.LayersModel; // z → pixel logits
  /** "vae" (default when the encoder has two outputs) or "autoencoder". */
  kind?: "vae" | "autoencoder";
  batchSize?: number; // 128
  lr?: number; // 1e-3
  beta?: number; // 1: weight of the KL term (VAE only)
  optimizer?: tf.Optimizer; // default Adam(lr)
}

export type VaeStepMetrics = Record<string, number>; // loss, reconstruction, kl (VAE)

export interface VaeTrainOptions {
  steps: number;
  /** Draw a batch of images [batch, 28, 28, 1]; the trainer disposes it. */
  sampleReal: (batchSize: number) => { x: tf.Tensor; [extra: string]: tf.Tensor | undefined };
  /** Called after every step; return "stop" to end early. */
  callbacks?: ((info: { step: number; metrics: VaeStepMetrics; trainer: VaeTrainer }) => void | "stop" | Promise<void | "stop">)[];
}

export class VaeTrainer {
  readonly config: Required<Pick<VaeTrainerConfig, "batchSize" | "lr" | "beta" | "kind">> & VaeTrainerConfig;
  readonly optimizer: tf.Optimizer;
  readonly history: TrainHistory = { step: [] };
  stepCount = 0;

  constructor(config: VaeTrainerConfig) {
    const kind = config.kind ?? (config.encoder.outputs.length === 2 ? "vae" : "autoencoder");
    this.config = { batchSize: 128, lr: 1e-3, beta: 1, ...config, kind };
    const nOut = config.encoder.outputs.length;
    if (kind === "vae" && nOut !== 2) throw new Error(`VaeTrainer: a VAE encoder must output [mean, logVar], this one has ${nOut} output(s)`);
    if (kind === "autoencoder" && nOut !== 1) throw new Error(`VaeTrainer: an autoencoder's encoder must output one code, this one has ${nOut}`);
    this.optimizer = config.optimizer ?? tf.train.adam(this.config.lr);
  }

  get encoder(): tf.LayersModel {
    return this.config.encoder;
  }
  get decoder(): tf.LayersModel {
    return this.config.decoder;
  }

  /** One optimizer step on a batch x; returns the batch's losses (nats per image). */
  step(x: tf.Tensor): VaeStepMetrics {
    const vars = [...this.encoder.trainableWeights, ...this.decoder.trainableWeights].map((w) => w.read() as tf.Variable);
    const parts: Record<string, tf.Scalar> = {};
    const { value, grads } = tf.variableGrads(() => {
      if (this.config.kind === "autoencoder") {
        const z = this.encoder.apply(x, { training: true }) as tf.Tensor;
        return tf.mean(bernoulliNll(this.decoder.apply(z, { training: true }) as tf.Tensor, x)) as tf.Scalar;
      }
      const terms = negativeElbo({ encoder: this.encoder, decoder: this.decoder }, x, this.config.beta);
      parts.reconstruction = tf.keep(terms.reconstruction);
      parts.kl = tf.keep(terms.kl);
      return terms.loss;
    }, vars);
    this.optimizer.applyGradients(grads);
    const metrics: VaeStepMetrics = { loss: value.dataSync()[0] };
    for (const [k, t] of Object.entries(parts)) metrics[k] = t.dataSync()[0];
    tf.dispose([value, ...Object.values(grads), ...Object.values(parts)]);
    this.stepCount += 1;
    return metrics;
  }

  /** Train for `steps` steps on batches from `sampleReal`; returns the history. */
  async train(options: VaeTrainOptions): Promise<TrainHistory> {
    for (let i = 0; i < options.steps; i++) {
      const batch = options.sampleReal(this.config.batchSize);
      let metrics: VaeStepMetrics;
      try {
        metrics = this.step(batch.x);
      } finally {
        tf.dispose(Object.values(batch).filter((t): t is tf.Tensor => t instanceof tf.Tensor));
      }
      this.record(metrics);
      let stop = false;
      for (const cb of options.callbacks ?? []) if ((await cb({ step: this.stepCount, metrics, trainer: this })) === "stop") stop = true;
      if (stop) break;
    }
    return this.history;
  }

  private record(metrics: VaeStepMetrics): void {
    this.history.step.push(this.stepCount);
    for (const [k, v] of Object.entries(metrics)) (this.history[k] ??= []).push(v);
  }

  /** Release the optimizer's state. The models belong to the caller. */
  dispose(): void {
    this.optimizer.dispose();
  }
}
