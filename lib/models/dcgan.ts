/**
 * DCGAN generator and discriminator for MNIST-sized images (Radford, Metz & Chintala 2015,
 * "Unsupervised Representation Learning with Deep Convolutional Generative Adversarial Networks"),
 * in the two-stage form of the course's benchmark anchor (/work/shared/anchors/dcgan_torch.py,
 * i.e. ../shared/anchors relative to the repo):
 *
 *   G: z[latentDim] -> Dense(7*7*2b, no bias) -> BN -> ReLU -> [7, 7, 2b]
 *        -> ConvT(b, k4, s2, 'same', no bias) -> BN -> ReLU        [14, 14, b]
 *        -> ConvT(channels, k4, s2, 'same') -> tanh                [28, 28, channels]
 *   D: x[28, 28, channels] -> Conv(b, k4, s2, 'same') -> LeakyReLU(0.2)      [14, 14, b]
 *        -> Conv(2b, k4, s2, 'same') -> BN -> LeakyReLU(0.2)                [7, 7, 2b]
 *        -> Flatten -> Dense(1)                                              logit [batch, 1]
 *
 * with b = baseChannels = 64 (D's convolutions and G's dense layer are `LeanConv2D` / `LeanDense`,
 * below: the arithmetic of tf.layers.conv2d / dense without their wasted gradients). TF's 'same' padding for a k4/s2 conv on an even size is PyTorch's
 * padding 1 on both sides (28 -> 14 -> 7), and a 'same' k4/s2 ConvT is ConvTranspose2d(k4, s2, p1)
 * (7 -> 14 -> 28), so the layers, shapes and FLOPs equal the anchor's. Batch norm uses PyTorch's
 * constants (momentum 0.1, i.e. tfjs momentum 0.9; epsilon 1e-5). Weights start from the paper's
 * N(0, 0.02) (`init: "dcgan"`) or tfjs' defaults (`init: "default"`).
 *
 * `createDcganStep` is the anchor's training step (one G forward reused for the D and G updates),
 * used by scripts/bench.ts and its tests; lessons train with lib/train's GanTrainer.
 */
import * as tf from "@tensorflow/tfjs";
import { nonSaturatingLoss } from "../losses/non-saturating";
import { GanLoss } from "../losses/types";

export interface DcganConfig {
  latentDim?: number; // 100
  /** Channels of G's last hidden layer and D's first layer; the other hidden layer has twice as many. */
  baseChannels?: number; // 64
  /** [height, width, channels]; height and width divisible by 4 (two stride-2 stages). */
  imageShape?: [number, number, number]; // [28, 28, 1]
  /** Batch norm in G (after the dense and first ConvT) and D (after the second conv). */
  batchNorm?: boolean; // true
  /** Slope of D's LeakyReLU for negative inputs. */
  leakyAlpha?: number; // 0.2
  /** Weight init: the paper's N(0, 0.02) or tfjs' defaults (glorot uniform). */
  init?: "dcgan" | "default"; // "dcgan"
  /** Width of a condition vector c (e.g. one-hot labels): G takes [z, c], D takes [x, c]. */
  conditionDim?: number; // 0 (unconditional)
  name?: string; // "generator" / "discriminator"
}

type LayerArgs = ConstructorParameters<typeof tf.layers.Layer>[0];

export interface LeanConv2DArgs extends NonNullable<LayerArgs> {
  filters: number;
  kernelSize: number;
  strides?: number; // 1
  padding?: "same" | "valid"; // "same"
  useBias?: boolean; // true
  /** "dcgan": N(0, 0.02) (Radford et al. 2015); "default": glorot uniform, as tf.layers.conv2d. */
  init?: "dcgan" | "default";
}

/**
 * A 2-D convolution (NHWC) plus bias, like tf.layers.conv2d without an activation, whose backward
 * pass computes only the gradients the tape asks for. tf.layers.conv2d runs tf.fused.conv2d, whose
 * custom gradient always computes both the input and the weight gradient; in a GAN that wastes
 * D's weight gradients during every G update (the largest layer's costs as much as its forward
 * pass) and the input gradient of D's first layer during every D update (~8% of a DCGAN step).
 * This layer calls tf.conv2d and tf.add, whose registered gradients are evaluated per input.
 */
export class LeanConv2D extends tf.layers.Layer {
  static className = "LeanConv2D";
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: "same" | "valid";
  readonly useBias: boolean;
  readonly init: "dcgan" | "default";
  private kernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(args: LeanConv2DArgs) {
    super(args);
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.strides = args.strides ?? 1;
    this.padding = args.padding ?? "same";
    this.useBias = args.useBias ?? true;
    this.init = args.init ?? "default";
  }

  build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const inC = shape[shape.length - 1] as number;
    this.kernel = this.addWeight("kernel", [this.kernelSize, this.kernelSize, inC, this.filters], "float32",
      kernelInit(this.init) ?? tf.initializers.glorotUniform({}));
    if (this.useBias) this.bias = this.addWeight("bias", [this.filters], "float32", tf.initializers.zeros());
    this.built = true;
  }

  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, h, w] = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const out = (n: number | null) => (n == null ? null
      : this.padding === "same" ? Math.ceil(n / this.strides) : Math.ceil((n - this.kernelSize + 1) / this.strides));
    return [b, out(h), out(w), this.filters];
  }

  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D; // [batch, h, w, inC]
      const y = tf.conv2d(x, this.kernel!.read() as tf.Tensor4D, this.strides, this.padding); // [batch, h', w', filters]
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize, strides: this.strides, padding: this.padding, useBias: this.useBias, init: this.init };
  }
}
tf.serialization.registerClass(LeanConv2D);

/** Factory for LeanConv2D, in the style of tf.layers.conv2d. */
export function leanConv2d(args: LeanConv2DArgs): LeanConv2D {
  return new LeanConv2D(args);
}

export interface LeanDenseArgs extends NonNullable<LayerArgs> {
  units: number;
  useBias?: boolean; // true
  init?: "dcgan" | "default"; // "default": glorot uniform, as tf.layers.dense
}

/**
 * A dense layer (x·W + b, no activation) whose backward pass computes only the gradients the tape
 * asks for, for the reason given at LeanConv2D: tf.layers.dense runs tf.fused.matMul, which always
 * computes the input gradient too; G's first layer would compute one for the latent z every step.
 */
export class LeanDense extends tf.layers.Layer {
  static className = "LeanDense";
  readonly units: number;
  readonly useBias: boolean;
  readonly init: "dcgan" | "default";
  private kernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(args: LeanDenseArgs) {
    super(args);
    this.units = args.units;
    this.useBias = args.useBias ?? true;
    this.init = args.init ?? "default";
  }

  build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const inDim = shape[shape.length - 1] as number;
    this.kernel = this.addWeight("kernel", [inDim, this.units], "float32", kernelInit(this.init) ?? tf.initializers.glorotUniform({}));
    if (this.useBias) this.bias = this.addWeight("bias", [this.units], "float32", tf.initializers.zeros());
    this.built = true;
  }

  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [...shape.slice(0, -1), this.units];
  }

  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D; // [batch, inDim]
      const y = tf.matMul(x, this.kernel!.read() as tf.Tensor2D); // [batch, units]
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, useBias: this.useBias, init: this.init };
  }
}
tf.serialization.registerClass(LeanDense);

/** Factory for LeanDense, in the style of tf.layers.dense. */
export function leanDense(args: LeanDenseArgs): LeanDense {
  return new LeanDense(args);
}

function resolve(config: DcganConfig) {
  const imageShape = config.imageShape ?? [28, 28, 1];
  const [h, w] = imageShape;
  if (h % 4 !== 0 || w % 4 !== 0) throw new Error(`dcgan: image height and width must be divisible by 4, got ${h}x${w}`);
  return {
    latentDim: config.latentDim ?? 100,
    base: config.baseChannels ?? 64,
    imageShape,
    batchNorm: config.batchNorm ?? true,
    leakyAlpha: config.leakyAlpha ?? 0.2,
    init: config.init ?? "dcgan",
    conditionDim: config.conditionDim ?? 0,
  };
}

function kernelInit(init: "dcgan" | "default") {
  return init === "dcgan" ? tf.initializers.randomNormal({ mean: 0, stddev: 0.02 }) : undefined;
}

function batchNorm(init: "dcgan" | "default", name: string): tf.layers.Layer {
  return tf.layers.batchNormalization({
    momentum: 0.9, epsilon: 1e-5, name,
    gammaInitializer: init === "dcgan" ? tf.initializers.randomNormal({ mean: 1, stddev: 0.02 }) : undefined,
  });
}

/** G: z [batch, latentDim] (and c [batch, conditionDim]) -> images [batch, h, w, channels] in [-1, 1]. */
export function dcganGenerator(config: DcganConfig = {}): tf.LayersModel {
  const c = resolve(config);
  const [h, w, channels] = c.imageShape;
  const z = tf.input({ shape: [c.latentDim], name: "z" }); // [batch, latentDim]
  const cond = c.conditionDim > 0 ? tf.input({ shape: [c.conditionDim], name: "c" }) : null;
  let x: tf.SymbolicTensor = cond ? (tf.layers.concatenate().apply([z, cond]) as tf.SymbolicTensor) : z;
  x = leanDense({ units: (h / 4) * (w / 4) * 2 * c.base, useBias: !c.batchNorm, init: c.init, name: "g_dense" }).apply(x) as tf.SymbolicTensor; // [batch, h/4 * w/4 * 2b]
  if (c.batchNorm) x = batchNorm(c.init, "g_bn0").apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  x = tf.layers.reshape({ targetShape: [h / 4, w / 4, 2 * c.base] }).apply(x) as tf.SymbolicTensor; // [batch, h/4, w/4, 2b]
  x = tf.layers.conv2dTranspose({
    filters: c.base, kernelSize: 4, strides: 2, padding: "same", useBias: !c.batchNorm,
    kernelInitializer: kernelInit(c.init), name: "g_convt1",
  }).apply(x) as tf.SymbolicTensor; // [batch, h/2, w/2, b]
  if (c.batchNorm) x = batchNorm(c.init, "g_bn1").apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  x = tf.layers.conv2dTranspose({
    filters: channels, kernelSize: 4, strides: 2, padding: "same", activation: "tanh",
    kernelInitializer: kernelInit(c.init), name: "g_convt2",
  }).apply(x) as tf.SymbolicTensor; // [batch, h, w, channels]
  return tf.model({ inputs: cond ? [z, cond] : z, outputs: x, name: config.name ?? "generator" });
}

/** D: images [batch, h, w, channels] (and c [batch, conditionDim]) -> logits [batch, 1]. */
export function dcganDiscriminator(config: DcganConfig = {}): tf.LayersModel {
  const c = resolve(config);
  const [h, w, channels] = c.imageShape;
  const image = tf.input({ shape: [h, w, channels], name: "x" }); // [batch, h, w, channels]
  const cond = c.conditionDim > 0 ? tf.input({ shape: [c.conditionDim], name: "c" }) : null;
  let x: tf.SymbolicTensor = image;
  if (cond) {
    // The condition as one extra image channel (a learned map c -> [h, w, 1]).
    const map = tf.layers.dense({ units: h * w, kernelInitializer: kernelInit(c.init), name: "d_cond" }).apply(cond) as tf.SymbolicTensor;
    const plane = tf.layers.reshape({ targetShape: [h, w, 1] }).apply(map) as tf.SymbolicTensor;
    x = tf.layers.concatenate().apply([image, plane]) as tf.SymbolicTensor; // [batch, h, w, channels + 1]
  }
  x = leanConv2d({ filters: c.base, kernelSize: 4, strides: 2, padding: "same", init: c.init, name: "d_conv1" }).apply(x) as tf.SymbolicTensor; // [batch, h/2, w/2, b]
  x = tf.layers.leakyReLU({ alpha: c.leakyAlpha }).apply(x) as tf.SymbolicTensor;
  x = leanConv2d({ filters: 2 * c.base, kernelSize: 4, strides: 2, padding: "same", init: c.init, name: "d_conv2" }).apply(x) as tf.SymbolicTensor; // [batch, h/4, w/4, 2b]
  if (c.batchNorm) x = batchNorm(c.init, "d_bn").apply(x) as tf.SymbolicTensor;
  x = tf.layers.leakyReLU({ alpha: c.leakyAlpha }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor; // [batch, h/4 * w/4 * 2b]
  const logit = tf.layers.dense({ units: 1, kernelInitializer: kernelInit(c.init), name: "d_logit" }).apply(x) as tf.SymbolicTensor; // [batch, 1]
  return tf.model({ inputs: cond ? [image, cond] : image, outputs: logit, name: config.name ?? "discriminator" });
}

/** FLOPs (2 x multiply-adds) of each conv / dense layer's forward pass at a given batch size. */
export function dcganLayerFlops(batch: number, config: DcganConfig = {}) {
  const c = resolve(config);
  const [h, w, ch] = c.imageShape;
  const b = c.base;
  const p1 = (h / 2) * (w / 2), p2 = (h / 4) * (w / 4); // pixels after one and two stride-2 stages
  return {
    gDense: 2 * batch * (c.latentDim + c.conditionDim) * p2 * 2 * b,
    gConvT1: 2 * batch * p2 * 16 * 2 * b * b, // each of the p2 inputs reaches 4x4 outputs
    gConvT2: 2 * batch * p1 * 16 * b * ch,
    dConv1: 2 * batch * p1 * 16 * (ch + (c.conditionDim > 0 ? 1 : 0)) * b,
    dConv2: 2 * batch * p2 * 16 * b * 2 * b,
    dDense: 2 * batch * p2 * 2 * b,
  };
}

/**
 * FLOPs of one anchor training step, counting the convolutions and dense layers and only the
 * gradients the step needs (the elementwise work of BN, activations, loss and Adam is a few
 * percent and not counted): G forward once; D forward on real and on fake data with weight
 * gradients and the input gradients of all but D's first layer; D forward on the fakes again for
 * G's loss, input gradients through all of D, and G's weight gradients and input gradients (the
 * latent needs none). 9.44 GFLOP at batch 64.
 */
export function dcganStepFlops(batch: number, config: DcganConfig = {}): number {
  const f = dcganLayerFlops(batch, config);
  const gForward = f.gDense + f.gConvT1 + f.gConvT2;
  const dForward = f.dConv1 + f.dConv2 + f.dDense;
  const dUpdate = 2 * (dForward + dForward + (f.dConv2 + f.dDense)); // forward, weight grads, input grads
  const gUpdate = dForward + dForward + gForward + (f.gConvT1 + f.gConvT2);
  return gForward + dUpdate + gUpdate;
}

export interface DcganStepConfig {
  latentDim?: number; // 100
  loss?: GanLoss; // non-saturating: BCE with logits for D, -log D(G(z)) for G
  lrG?: number; // 2e-4
  lrD?: number; // 2e-4
  beta1?: number; // 0.5
  beta2?: number; // 0.999
  /**
   * Reuse G's forward pass for both updates, as PyTorch's DCGAN tutorial does. tfjs can: the D
   * update runs nested inside the tape that records G's forward for G's gradient. Otherwise G runs
   * twice on the same z (the usual tfjs pattern). Same result either way. Default true.
   */
  reuseGeneratorForward?: boolean;
}

export interface DcganStep {
  /** One D update then one G update on a real batch [batch, h, w, channels]; returns the losses. */
  step(xReal: tf.Tensor): { lossD: number; lossG: number };
  optimizerG: tf.Optimizer;
  optimizerD: tf.Optimizer;
  dispose(): void;
}

/** The anchor's step: D on xReal and G(z), Adam on D; then G through the updated D, Adam on G. */
export function createDcganStep(generator: tf.LayersModel, discriminator: tf.LayersModel, config: DcganStepConfig = {}): DcganStep {
  const latentDim = config.latentDim ?? 100;
  const loss = config.loss ?? nonSaturatingLoss;
  const reuse = config.reuseGeneratorForward ?? true;
  const optimizerG: tf.Optimizer = tf.train.adam(config.lrG ?? 2e-4, config.beta1 ?? 0.5, config.beta2 ?? 0.999);
  const optimizerD: tf.Optimizer = tf.train.adam(config.lrD ?? 2e-4, config.beta1 ?? 0.5, config.beta2 ?? 0.999);
  const vars = (m: tf.LayersModel) => m.trainableWeights.map((w) => w.read() as tf.Variable);
  const gVars = vars(generator), dVars = vars(discriminator);
  const G = (z: tf.Tensor) => generator.apply(z, { training: true }) as tf.Tensor;
  const D = (x: tf.Tensor) => discriminator.apply(x, { training: true }) as tf.Tensor;

  const updateD = (xReal: tf.Tensor, xFake: tf.Tensor): number => {
    const { value, grads } = tf.variableGrads(() => loss.discriminator(D(xReal), D(xFake)), dVars);
    optimizerD.applyGradients(grads);
    const lossD = value.dataSync()[0];
    tf.dispose([value, ...Object.values(grads)]);
    return lossD;
  };

  function step(xReal: tf.Tensor): { lossD: number; lossG: number } {
    const batch = xReal.shape[0];
    let lossD = NaN;
    const z = tf.randomNormal([batch, latentDim]); // [batch, latentDim]
    let result: { value: tf.Scalar; grads: tf.NamedTensorMap };
    if (reuse) {
      result = tf.variableGrads(() => {
        const xFake = G(z); // recorded once, used by both updates
        lossD = updateD(xReal, xFake); // gradients w.r.t. D's variables only
        return loss.generator(D(xFake));
      }, gVars);
    } else {
      const xFake = tf.tidy(() => G(z));
      lossD = updateD(xReal, xFake);
      xFake.dispose();
      result = tf.variableGrads(() => loss.generator(D(G(z))), gVars);
    }
    optimizerG.applyGradients(result.grads);
    const lossG = result.value.dataSync()[0];
    tf.dispose([z, result.value, ...Object.values(result.grads)]);
    return { lossD, lossG };
  }

  return {
    step,
    optimizerG,
    optimizerD,
    dispose() {
      optimizerG.dispose();
      optimizerD.dispose();
    },
  };
}
