/**
 * Multi-layer perceptron generator and discriminator: the networks of the original GAN paper
 * (Goodfellow et al. 2014) and of every toy experiment (1-D mixtures, 2-D rings and grids).
 */
import * as tf from "@tensorflow/tfjs";

export interface MlpConfig {
  inputDim: number;
  outputDim: number;
  hidden?: number[]; // [128, 128]
  activation?: "relu" | "leakyRelu" | "tanh"; // "relu" for G, "leakyRelu" for D
  /** Activation of the output layer; "linear" for logits or unbounded samples. */
  outputActivation?: "linear" | "tanh" | "sigmoid"; // "linear"
  name?: string;
}

/** A dense network inputDim → hidden… → outputDim. */
export function mlp(config: MlpConfig): tf.LayersModel {
  const hidden = config.hidden ?? [128, 128];
  const input = tf.input({ shape: [config.inputDim] }); // [batch, inputDim]
  let h: tf.SymbolicTensor = input;
  for (const units of hidden) {
    h = tf.layers.dense({ units }).apply(h) as tf.SymbolicTensor;
    const act = config.activation ?? "relu";
    h = (act === "leakyRelu" ? tf.layers.leakyReLU({ alpha: 0.2 }) : tf.layers.activation({ activation: act })).apply(h) as tf.SymbolicTensor;
  }
  const out = tf.layers.dense({ units: config.outputDim, activation: config.outputActivation ?? "linear" }).apply(h) as tf.SymbolicTensor; // [batch, outputDim]
  return tf.model({ inputs: input, outputs: out, name: config.name });
}

/** G: z [batch, latentDim] → x [batch, dataDim]. */
export function mlpGenerator(config: { latentDim: number; dataDim: number; hidden?: number[]; outputActivation?: "linear" | "tanh" }): tf.LayersModel {
  return mlp({ inputDim: config.latentDim, outputDim: config.dataDim, hidden: config.hidden, activation: "relu", outputActivation: config.outputActivation, name: "generator" });
}

/** D: x [batch, dataDim] → logit [batch, 1]. */
export function mlpDiscriminator(config: { dataDim: number; hidden?: number[] }): tf.LayersModel {
  return mlp({ inputDim: config.dataDim, outputDim: 1, hidden: config.hidden, activation: "leakyRelu", outputActivation: "linear", name: "discriminator" });
}
