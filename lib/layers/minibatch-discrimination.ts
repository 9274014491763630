/**
 * Minibatch discrimination (Salimans, Goodfellow, Zaremba, Cheung, Radford & Chen 2016, "Improved
 * Techniques for Training GANs", §3.2).
 *
 * Why: a collapsed generator puts many samples on the same point. A discriminator that looks at
 * one sample at a time cannot see that, since each sample on its own looks real. Minibatch
 * discrimination lets D compare the samples of a batch with each other, so a batch of near-copies
 * becomes easy to reject, and G has to spread out again.
 *
 * Definition (the paper's notation). Let f(x_i) ∈ R^A be D's features of sample i of a batch of n.
 * A learned tensor T ∈ R^{A×B×C} maps each feature vector to a matrix
 *
 *   M_i = f(x_i) · T  ∈ R^{B×C}          (B rows, "kernels", of length C)
 *
 * Sample i and sample j are compared row by row with the L1 distance and a negative exponential,
 *
 *   c_b(x_i, x_j) = exp(−‖M_{i,b} − M_{j,b}‖_1)  ∈ (0, 1],
 *
 * and summed over the batch:
 *
 *   o(x_i)_b = Σ_{j=1..n} c_b(x_i, x_j),      o(x_i) ∈ R^B.
 *
 * The layer outputs [f(x_i), o(x_i)] ∈ R^{A+B}: the minibatch features are concatenated to D's
 * features and the next layer sees both. The sum includes j = i (a constant exp(0) = 1), as the
 * paper writes it; `excludeSelf: true` drops that term (the paper's released code masks the
 * diagonal out), which changes no gradient.
 *
 * Real and fake batches go through D separately (the trainer does that), so o(x) measures the
 * diversity of a batch of one kind.
 *
 * Input [batch, A]; output [batch, A + B]. Weights: T of shape [A, B, C].
 */
import * as tf from "@tensorflow/tfjs";

type LayerArgs = ConstructorParameters<typeof tf.layers.Layer>[0];
type Kwargs = { [key: string]: any };

/**
 * The minibatch features o(x) ∈ R^{n×B} of features f [n, A] under T [A, B, C]
 * (Salimans et al. 2016, §3.2): o(x_i)_b = Σ_j exp(−‖M_{i,b} − M_{j,b}‖_1), M_i = f_i·T.
 */
export function minibatchDiscriminationFeatures(f: tf.Tensor2D, T: tf.Tensor3D, options: { excludeSelf?: boolean } = {}): tf.Tensor2D {
  return tf.tidy(() => {
    const [n, a] = f.shape;
    const [ta, b, c] = T.shape;
    if (a !== ta) throw new Error(`minibatchDiscriminationFeatures: features have ${a} columns, T expects ${ta}`);
    const m = tf.reshape(tf.matMul(f, tf.reshape(T, [a, b * c])), [n, b, c]); // M: [n, B, C]
    const diff = tf.sub(tf.expandDims(m, 1), tf.expandDims(m, 0)); // M_i − M_j: [n (i), n (j), B, C]
    const l1 = tf.sum(tf.abs(diff), 3); // ‖M_{i,b} − M_{j,b}‖_1: [n, n, B]
    let o = tf.sum(tf.exp(tf.neg(l1)), 1); // Σ_j c_b(x_i, x_j): [n, B]
    if (options.excludeSelf) o = tf.sub(o, 1); // drop c_b(x_i, x_i) = exp(0) = 1
    return o as tf.Tensor2D;
  });
}

export interface MinibatchDiscriminationArgs extends NonNullable<LayerArgs> {
  /** B: number of minibatch kernels (rows of M_i), i.e. minibatch features added. Default 16. */
  numKernels?: number;
  /** C: length of each kernel row (the space the L1 distance is measured in). Default 8. */
  kernelDim?: number;
  /** Drop the j = i term of the sum (the paper's code does; the paper's formula does not). Default false. */
  excludeSelf?: boolean;
  /** Standard deviation of T's normal initialization. Default 0.1. */
  initStddev?: number;
}

export class MinibatchDiscrimination extends tf.layers.Layer {
  static className = "MinibatchDiscrimination";
  readonly numKernels: number;
  readonly kernelDim: number;
  readonly excludeSelf: boolean;
  readonly initStddev: number;
  private kernel: tf.LayerVariable | null = null; // T: [A, B, C]

  constructor(args: MinibatchDiscriminationArgs = {}) {
    super(args);
    this.numKernels = args.numKernels ?? 16;
    this.kernelDim = args.kernelDim ?? 8;
    this.excludeSelf = args.excludeSelf ?? false;
    this.initStddev = args.initStddev ?? 0.1;
    for (const [k, v] of [["numKernels", this.numKernels], ["kernelDim", this.kernelDim]] as const) {
      if (!(Number.isInteger(v) && v >= 1)) throw new Error(`MinibatchDiscrimination: ${k} must be a positive integer, got ${v}`);
    }
  }

  build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    if (shape.length !== 2) throw new Error(`MinibatchDiscrimination expects [batch, features] inputs (flatten first), got shape [${shape}]`);
    const a = shape[1];
    if (a == null) throw new Error("MinibatchDiscrimination: the feature dimension must be known");
    this.kernel = this.addWeight("T", [a, this.numKernels, this.kernelDim], "float32", tf.initializers.randomNormal({ mean: 0, stddev: this.initStddev }));
    this.built = true;
  }

  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const a = shape[1];
    return [shape[0], a == null ? null : a + this.numKernels]; // [batch, A + B]
  }

  call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const f = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D; // [batch, A]
      const o = minibatchDiscriminationFeatures(f, this.kernel!.read() as tf.Tensor3D, { excludeSelf: this.excludeSelf }); // [batch, B]
      return tf.concat([f, o], 1); // [batch, A + B]
    });
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), numKernels: this.numKernels, kernelDim: this.kernelDim, excludeSelf: this.excludeSelf, initStddev: this.initStddev };
  }
}
tf.serialization.registerClass(MinibatchDiscrimination);

/** A minibatch-discrimination layer: `minibatchDiscrimination({ numKernels: 16, kernelDim: 8 })`. */
export function minibatchDiscrimination(args: MinibatchDiscriminationArgs = {}): MinibatchDiscrimination {
  return new MinibatchDiscrimination(args);
}
