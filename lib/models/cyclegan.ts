/**
 * CycleGAN (Zhu, Park, Isola & Efros 2017, "Unpaired Image-to-Image Translation using
 * Cycle-Consistent Adversarial Networks").
 *
 * Two domains A and B with *no* pairs. Two translators, G: A → B and F: B → A, and two
 * discriminators, D_B (is this a real B?) and D_A. Adversarial losses alone only ask that G(a)
 * look like *some* B; nothing ties it to a. The cycle-consistency loss does:
 *
 *   L_cyc(G, F) = E_a[‖F(G(a)) − a‖₁] + E_b[‖G(F(b)) − b‖₁]        (A→B→A and B→A→B cycles)
 *   L(G, F, D_A, D_B) = L_GAN(G, D_B, A, B) + L_GAN(F, D_A, B, A) + λ · L_cyc(G, F)     (λ = 10)
 *
 * (‖·‖₁ here is the mean absolute error per pixel.) An optional identity term λ_id·(‖G(b) − b‖₁ +
 * ‖F(a) − a‖₁) is the paper's §5.2 addition for colour preservation; it is off by default.
 *
 * One trainer, two games side by side. The course has one GanTrainer (one generator, one
 * discriminator, pluggable loss and regularizers), and CycleGAN fits it without a trainer of its
 * own: pack the two translators into one model (`translatorPair`: [a, b] → [G(a) | F(b)], two
 * channels) and the two discriminators into another (`discriminatorPair`: [x_B | x_A] →
 * [D_B(x_B) | D_A(x_A)] verdict grids). A real batch is x = [b | a] (`cycleGanBatches`). Then:
 *   - the trainer's D loss, the GAN loss averaged over all verdicts, is ½(L_{D_B} + L_{D_A});
 *     the two discriminators share no weights, so each gets exactly its own gradient (halved);
 *   - the trainer's G loss is ½(L_GAN(G, D_B) + L_GAN(F, D_A)), and the cycle regularizer adds
 *     ½·λ·L_cyc, so G and F minimise exactly ½ of the total loss above;
 *   - both cycles are one call: translatorPair([F(b), G(a)]) = [G(F(b)) | F(G(a))], to be compared
 *     with x = [b | a].
 * The four networks stay separate models (saved and used one by one); the pairs only share them.
 * `cycleGanGeneratorLoss` writes the total loss out directly, and the tests check that the packed
 * trainer computes half of it.
 */
import * as tf from "@tensorflow/tfjs";
import { GanLoss } from "../losses/types";
import { GanTrainerConfig, Regularizer } from "../train/trainer";
import { meanAbsoluteError } from "./pix2pix";

export interface CycleGanGeneratorConfig {
  imageShape?: [number, number, number]; // [28, 28, 1]
  /** Channels at full resolution; 2b at h/2 and 4b at h/4. */
  baseChannels?: number; // 8
  /** Residual blocks at h/4 (the paper's generator has 6 or 9 at 64·4 channels). */
  nResBlocks?: number; // 2
  name?: string;
}

const init = () => tf.initializers.randomNormal({ mean: 0, stddev: 0.02 });
const bn = (name: string) => tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, name });

/**
 * One translator, in the shape of the paper's ResNet generator (Johnson et al. 2016), shrunk:
 * Conv(b, k3) → down ×2 (stride-2 convs to 2b, 4b) → residual blocks → up ×2 (ConvT) → Conv(c, k3) → tanh.
 * No skip connections from the input: the image has to pass through the h/4 bottleneck.
 */
export function cycleGanGenerator(config: CycleGanGeneratorConfig = {}): tf.LayersModel {
  const [h, w, c] = config.imageShape ?? [28, 28, 1];
  if (h % 4 !== 0 || w % 4 !== 0) throw new Error(`cycleGanGenerator: ${h}x${w} is not divisible by 4`);
  const b = config.baseChannels ?? 8;
  const nRes = config.nResBlocks ?? 2;
  const name = config.name ?? "translator";
  const conv = (x: tf.SymbolicTensor, filters: number, kernel: number, stride: number, id: string, act: "relu" | "none" = "relu") => {
    let y = tf.layers.conv2d({ filters, kernelSize: kernel, strides: stride, padding: "same", useBias: false, kernelInitializer: init(), name: `${name}_${id}` }).apply(x) as tf.SymbolicTensor;
    y = bn(`${name}_${id}_bn`).apply(y) as tf.SymbolicTensor;
    return act === "relu" ? (tf.layers.reLU().apply(y) as tf.SymbolicTensor) : y;
  };
  const input = tf.input({ shape: [h, w, c], name: `${name}_in` });
  let x = conv(input, b, 3, 1, "c1"); // [batch, h, w, b]
  x = conv(x, 2 * b, 4, 2, "down1"); // [batch, h/2, w/2, 2b]
  x = conv(x, 4 * b, 4, 2, "down2"); // [batch, h/4, w/4, 4b]
  for (let r = 0; r < nRes; r++) {
    const y = conv(conv(x, 4 * b, 3, 1, `res${r + 1}a`), 4 * b, 3, 1, `res${r + 1}b`, "none");
    x = tf.layers.add({ name: `${name}_res${r + 1}` }).apply([x, y]) as tf.SymbolicTensor; // [batch, h/4, w/4, 4b]
  }
  const up = (x: tf.SymbolicTensor, filters: number, id: string) => {
    const y = tf.layers.conv2dTranspose({ filters, kernelSize: 4, strides: 2, padding: "same", useBias: false, kernelInitializer: init(), name: `${name}_${id}` }).apply(x) as tf.SymbolicTensor;
    return tf.layers.reLU().apply(bn(`${name}_${id}_bn`).apply(y)) as tf.SymbolicTensor;
  };
  x = up(x, 2 * b, "up1"); // [batch, h/2, w/2, 2b]
  x = up(x, b, "up2"); // [batch, h, w, b]
  const out = tf.layers.conv2d({ filters: c, kernelSize: 3, padding: "same", activation: "tanh", kernelInitializer: init(), name: `${name}_out` }).apply(x) as tf.SymbolicTensor; // [batch, h, w, c]
  return tf.model({ inputs: input, outputs: out, name });
}

/** [a, b] → [G(a) | F(b)] concatenated along the channels (fake B first, fake A second). */
export function translatorPair(generatorAB: tf.LayersModel, generatorBA: tf.LayersModel): tf.LayersModel {
  if (generatorAB.name === generatorBA.name) throw new Error(`translatorPair: both translators are named "${generatorAB.name}"; give them different names (e.g. "g_ab", "g_ba")`);
  const shapeA = generatorAB.inputs[0].shape.slice(1) as number[];
  const shapeB = generatorBA.inputs[0].shape.slice(1) as number[];
  const a = tf.input({ shape: shapeA, name: "a" });
  const b = tf.input({ shape: shapeB, name: "b" });
  const fakeB = generatorAB.apply(a) as tf.SymbolicTensor;
  const fakeA = generatorBA.apply(b) as tf.SymbolicTensor;
  return tf.model({ inputs: [a, b], outputs: tf.layers.concatenate({ name: "pair_fakes" }).apply([fakeB, fakeA]) as tf.SymbolicTensor, name: "translator_pair" });
}

/** [x_B, x_A] → [D_B(x_B) | D_A(x_A)] verdict grids concatenated along the channels. */
export function discriminatorPair(discriminatorB: tf.LayersModel, discriminatorA: tf.LayersModel): tf.LayersModel {
  if (discriminatorB.name === discriminatorA.name) throw new Error(`discriminatorPair: both discriminators are named "${discriminatorB.name}"; give them different names (e.g. "d_b", "d_a")`);
  const xb = tf.input({ shape: discriminatorB.inputs[0].shape.slice(1) as number[], name: "x_b" });
  const xa = tf.input({ shape: discriminatorA.inputs[0].shape.slice(1) as number[], name: "x_a" });
  const vb = discriminatorB.apply(xb) as tf.SymbolicTensor;
  const va = discriminatorA.apply(xa) as tf.SymbolicTensor;
  return tf.model({ inputs: [xb, xa], outputs: tf.layers.concatenate({ name: "pair_verdicts" }).apply([vb, va]) as tf.SymbolicTensor, name: "discriminator_pair" });
}

/** Split a packed [batch, h, w, cB + cA] tensor into its B part and its A part. */
export function unpack(x: tf.Tensor, channelsB = 1): [tf.Tensor, tf.Tensor] {
  const c = x.shape[x.shape.length - 1];
  return [tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, channelsB]), tf.slice(x, [0, 0, 0, channelsB], [-1, -1, -1, c - channelsB])];
}

/** Real batches for the packed trainer from an unpaired sampler: { x: [b | a], a, b }. */
export function cycleGanBatches(sample: (n: number) => { a: tf.Tensor; b: tf.Tensor }): (n: number) => { x: tf.Tensor; a: tf.Tensor; b: tf.Tensor } {
  return (n) => {
    const { a, b } = sample(n);
    return { x: tf.concat([b, a], 3), a, b };
  };
}

/** L_cyc = mean|F(G(a)) − a| + mean|G(F(b)) − b|. */
export function cycleConsistencyLoss(a: tf.Tensor, aReconstructed: tf.Tensor, b: tf.Tensor, bReconstructed: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.add(meanAbsoluteError(aReconstructed, a), meanAbsoluteError(bReconstructed, b)) as tf.Scalar);
}

/**
 * The generators' total loss written out: L_GAN(G, D_B) + L_GAN(F, D_A) + λ·L_cyc, from D_B's
 * verdicts on G(a), D_A's verdicts on F(b), and the two cycles.
 */
export function cycleGanGeneratorLoss(
  loss: GanLoss,
  dBOnFakeB: tf.Tensor, dAOnFakeA: tf.Tensor,
  a: tf.Tensor, aReconstructed: tf.Tensor, b: tf.Tensor, bReconstructed: tf.Tensor,
  lambda = 10,
): tf.Scalar {
  return tf.tidy(() => tf.addN([loss.generator(dBOnFakeB), loss.generator(dAOnFakeA), tf.mul(lambda, cycleConsistencyLoss(a, aReconstructed, b, bReconstructed))]) as tf.Scalar);
}

/** ½·λ·L_cyc on the packed trainer (both cycles in one pass of the translator pair); logged as "cycleG". */
export function cycleConsistencyRegularizer(lambda = 10): Regularizer {
  return {
    name: "cycle",
    generator: (ctx) => tf.tidy(() => {
      const [fakeB, fakeA] = unpack(ctx.xFake);
      const reconstructed = ctx.generator.apply([fakeA, fakeB], { training: true }) as tf.Tensor; // [G(F(b)) | F(G(a))]
      return tf.mul(lambda, meanAbsoluteError(reconstructed, ctx.real.x)) as tf.Scalar; // x = [b | a]; the mean over both halves is ½ L_cyc
    }),
  };
}

/** ½·λ_id·(‖G(b) − b‖₁ + ‖F(a) − a‖₁): each translator should leave its own target domain alone; logged as "identityG". */
export function identityRegularizer(lambda = 5): Regularizer {
  return {
    name: "identity",
    generator: (ctx) => tf.tidy(() => {
      const same = ctx.generator.apply([ctx.real.b!, ctx.real.a!], { training: true }) as tf.Tensor; // [G(b) | F(a)]
      return tf.mul(lambda, meanAbsoluteError(same, ctx.real.x)) as tf.Scalar;
    }),
  };
}

/**
 * The GanTrainer options that make it CycleGAN on the pair models: G's inputs are the batch's
 * [a, b], D's inputs are the two halves of a packed image, and the cycle (and identity) terms.
 * λ = 0 drops the cycle loss (the ablation: two unrelated GANs).
 */
export function cycleGanTrainerParts(options: { lambdaCycle?: number; lambdaIdentity?: number } = {}): Pick<GanTrainerConfig, "generatorInputs" | "discriminatorInputs" | "regularizers" | "latentDim" | "sampleLatent"> {
  const lambdaCycle = options.lambdaCycle ?? 10;
  const lambdaIdentity = options.lambdaIdentity ?? 0;
  const regularizers: Regularizer[] = [];
  if (lambdaCycle > 0) regularizers.push(cycleConsistencyRegularizer(lambdaCycle));
  if (lambdaIdentity > 0) regularizers.push(identityRegularizer(lambdaIdentity));
  return {
    latentDim: 1, // no z: the translators are deterministic
    sampleLatent: (n) => tf.zeros([n, 1]),
    generatorInputs: (_z, real) => {
      if (!real.a || !real.b) throw new Error("CycleGAN: real batches need `a` and `b` (use cycleGanBatches)");
      return [real.a, real.b];
    },
    discriminatorInputs: (x) => unpack(x),
    regularizers,
  };
}

export interface CycleGanModels {
  generatorAB: tf.LayersModel;
  generatorBA: tf.LayersModel;
  discriminatorA: tf.LayersModel;
  discriminatorB: tf.LayersModel;
  /** The packed models the trainer sees. */
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
}

/** Pack four networks for the trainer. */
export function cycleGanModels(parts: Omit<CycleGanModels, "generator" | "discriminator">): CycleGanModels {
  return { ...parts, generator: translatorPair(parts.generatorAB, parts.generatorBA), discriminator: discriminatorPair(parts.discriminatorB, parts.discriminatorA) };
}
