/**
 * The self-attention module of SAGAN (Zhang, Goodfellow, Metaxas & Odena 2018, "Self-Attention
 * Generative Adversarial Networks", §3, Figure 2).
 *
 * A convolution only mixes a small neighbourhood, so structure that spans the image (the two ends
 * of a digit's stroke, a dog's four legs) must be relayed through many layers. Self-attention lets
 * every position look at every other position in one step. For a feature map x with N = H·W
 * positions and C channels, three 1×1 convolutions (here: matrices over the channel axis) give
 *
 *   f(x) = x W_f   [N, C̄]   (keys)      g(x) = x W_g   [N, C̄]   (queries)      h(x) = x W_h   [N, C]
 *
 * with C̄ = C / 8. The attention of output position j to input position i is
 *
 *   β_{j,i} = exp(s_ij) / Σ_i exp(s_ij),   s_ij = f(x_i)ᵀ g(x_j)
 *
 * (softmax over the positions i; each row j of the map β sums to 1). The module's output is
 *
 *   o_j = Σ_i β_{j,i} h(x_i),      y = γ · o + x
 *
 * with the scalar γ learned and initialized to 0, so the network starts out purely local and
 * learns how much non-local evidence to use. With `spectralNorm`, W_f, W_g and W_h are spectrally
 * normalized like every other SAGAN layer (see spectral-normalization.ts).
 *
 * Input and output: [batch, H, W, C] (channels last).
 */
import * as tf from "@tensorflow/tfjs";
import { spectralNormalizeKernel } from "./spectral-normalization";

type LayerArgs = ConstructorParameters<typeof tf.layers.Layer>[0];
type Kwargs = { [key: string]: any };
type LayerVariable = tf.LayerVariable;

export interface SelfAttentionArgs extends NonNullable<LayerArgs> {
  /** C / C̄: channel reduction of the query/key projections f and g. Default 8 (the paper's). */
  reduction?: number;
  /** Spectrally normalize W_f, W_g, W_h (one power-iteration step per training call). Default false. */
  spectralNorm?: boolean;
  /** Add biases to f, g, h. Default true. */
  useBias?: boolean;
}

/**
 * β = softmax over keys of g·fᵀ: queries g [batch, N, C̄] and keys f [batch, N, C̄] → the
 * attention map [batch, N (query j), N (key i)], each row summing to 1.
 */
export function attentionFromKeysQueries(f: tf.Tensor3D, g: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => tf.softmax(tf.matMul(g, f, false, true), -1) as tf.Tensor3D); // s[b, j, i] = g_jᵀ f_i
}

export class SelfAttention extends tf.layers.Layer {
  static className = "SelfAttention";
  readonly reduction: number;
  readonly spectralNorm: boolean;
  readonly useBias: boolean;
  private channels = 0;
  private keyChannels = 0;
  private wF: LayerVariable | null = null;
  private wG: LayerVariable | null = null;
  private wH: LayerVariable | null = null;
  private bF: LayerVariable | null = null;
  private bG: LayerVariable | null = null;
  private bH: LayerVariable | null = null;
  private gamma: LayerVariable | null = null;
  private uF: LayerVariable | null = null;
  private uG: LayerVariable | null = null;
  private uH: LayerVariable | null = null;

  constructor(args: SelfAttentionArgs = {}) {
    super(args);
    this.reduction = args.reduction ?? 8;
    this.spectralNorm = args.spectralNorm ?? false;
    this.useBias = args.useBias ?? true;
    if (!(this.reduction >= 1 && Number.isInteger(this.reduction))) throw new Error(`SelfAttention: reduction must be a positive integer, got ${args.reduction}`);
  }

  build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    if (shape.length !== 4) throw new Error(`SelfAttention expects [batch, H, W, C] inputs, got shape [${shape}]`);
    const c = shape[3];
    if (c == null) throw new Error("SelfAttention: the channel dimension must be known");
    this.channels = c;
    this.keyChannels = Math.max(1, Math.floor(c / this.reduction));
    const init = tf.initializers.glorotUniform({});
    this.wF = this.addWeight("f_kernel", [c, this.keyChannels], "float32", init);
    this.wG = this.addWeight("g_kernel", [c, this.keyChannels], "float32", init);
    this.wH = this.addWeight("h_kernel", [c, c], "float32", init);
    if (this.useBias) {
      this.bF = this.addWeight("f_bias", [this.keyChannels], "float32", tf.initializers.zeros());
      this.bG = this.addWeight("g_bias", [this.keyChannels], "float32", tf.initializers.zeros());
      this.bH = this.addWeight("h_bias", [c], "float32", tf.initializers.zeros());
    }
    this.gamma = this.addWeight("gamma", [1], "float32", tf.initializers.zeros());
    if (this.spectralNorm) {
      const normal = tf.initializers.randomNormal({ mean: 0, stddev: 1 });
      this.uF = this.addWeight("f_u", [this.keyChannels], "float32", normal, undefined, false);
      this.uG = this.addWeight("g_u", [this.keyChannels], "float32", normal, undefined, false);
      this.uH = this.addWeight("h_u", [c], "float32", normal, undefined, false);
    }
    this.built = true;
  }

  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  /** A projection x [batch, N, C] · W (+ b), with W spectrally normalized if asked. */
  private project(x: tf.Tensor3D, w: LayerVariable, b: LayerVariable | null, u: LayerVariable | null, training: boolean): tf.Tensor3D {
    let kernel: tf.Tensor = w.read();
    if (this.spectralNorm && u) kernel = spectralNormalizeKernel(kernel, u.read() as tf.Variable, { update: training }).kernel;
    const [batch, n, c] = x.shape;
    let y = tf.matMul(tf.reshape(x, [batch * n, c]), kernel as tf.Tensor2D); // [batch·N, C']
    if (b) y = tf.add(y, b.read());
    return tf.reshape(y, [batch, n, kernel.shape[1]!]) as tf.Tensor3D;
  }

  /** f, g, h and the attention map for an input batch [batch, H, W, C]. */
  private attend(x: tf.Tensor, training: boolean): { flat: tf.Tensor3D; beta: tf.Tensor3D; h: tf.Tensor3D } {
    const [batch, height, width, c] = x.shape;
    const flat = tf.reshape(x, [batch, height * width, c]) as tf.Tensor3D; // [batch, N, C]
    const f = this.project(flat, this.wF!, this.bF, this.uF, training); // keys    [batch, N, C̄]
    const g = this.project(flat, this.wG!, this.bG, this.uG, training); // queries [batch, N, C̄]
    const h = this.project(flat, this.wH!, this.bH, this.uH, training); // values  [batch, N, C]
    return { flat, beta: attentionFromKeysQueries(f, g), h };
  }

  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs; // [batch, H, W, C]
      const { flat, beta, h } = this.attend(x, kwargs?.training === true);
      const o = tf.matMul(beta, h); // o_j = Σ_i β_{j,i} h(x_i): [batch, N, C]
      const y = tf.add(tf.mul(this.gamma!.read(), o), flat); // γ·o + x
      return tf.reshape(y, x.shape);
    });
  }

  /**
   * The attention map β [batch, N, N] for this layer's input x [batch, H, W, C] (inference mode):
   * row j (a query position, j = row·W + col) is a distribution over the N input positions.
   */
  attentionMap(x: tf.Tensor4D): tf.Tensor3D {
    if (!this.built) throw new Error("SelfAttention.attentionMap: the layer is not built yet (apply it to an input first)");
    return tf.tidy(() => this.attend(x, false).beta);
  }

  /**
   * The projection matrices W_f [C, C̄], W_g [C, C̄], W_h [C, C] as inference uses them: divided by
   * their estimated spectral norms when `spectralNorm` is on (new tensors; the caller disposes them).
   */
  effectiveKernels(): { f: tf.Tensor2D; g: tf.Tensor2D; h: tf.Tensor2D } {
    if (!this.built) throw new Error("SelfAttention.effectiveKernels: the layer is not built yet");
    return tf.tidy(() => {
      const eff = (w: LayerVariable, u: LayerVariable | null) =>
        (this.spectralNorm && u ? spectralNormalizeKernel(w.read(), u.read() as tf.Variable, { update: false }).kernel : tf.clone(w.read())) as tf.Tensor2D;
      return { f: eff(this.wF!, this.uF), g: eff(this.wG!, this.uG), h: eff(this.wH!, this.uH) };
    });
  }

  /** The current value of γ. */
  gammaValue(): number {
    if (!this.gamma) throw new Error("SelfAttention.gammaValue: the layer is not built yet");
    return this.gamma.read().dataSync()[0];
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), reduction: this.reduction, spectralNorm: this.spectralNorm, useBias: this.useBias };
  }
}
tf.serialization.registerClass(SelfAttention);

/** A SAGAN self-attention layer: `selfAttention({ reduction: 8, spectralNorm: true })`. */
export function selfAttention(args: SelfAttentionArgs = {}): SelfAttention {
  return new SelfAttention(args);
}
