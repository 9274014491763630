/**
 * Spectral normalization (Miyato, Kataoka, Koyama & Yoshida 2018, "Spectral Normalization for
 * Generative Adversarial Networks", Algorithm 1), as used on every layer of G and D by SAGAN
 * (Zhang et al. 2018).
 *
 * A layer's weight W is replaced by W / σ(W), where σ(W) is W's largest singular value, so the
 * layer is 1-Lipschitz and the discriminator's gradients stay controlled. σ is estimated by power
 * iteration with a persistent vector u (one iteration per training call, as in the paper: the
 * weights change little between steps, so u stays close to the top singular vector):
 *
 *   v ← Wᵀu / ‖Wᵀu‖,   u ← W v / ‖W v‖,   σ(W) ≈ uᵀ W v
 *
 * with W the kernel reshaped to a matrix [dOut, dIn] (dOut = the kernel's last axis, dIn = all
 * other axes; for a conv kernel [kh, kw, cIn, cOut] that is [cOut, kh·kw·cIn], the paper's choice).
 * The gradient flows through σ with u held constant (∂σ/∂W = u vᵀ, the paper's eq. 12).
 *
 * `SpectralNormalization` wraps any layer that owns a `kernel` (dense, conv2d, conv2dTranspose):
 *   tf.layers.dense({ units: 64 })  →  spectralNormalization({ layer: tf.layers.dense({ units: 64 }) })
 * In training mode (`apply(x, { training: true })`, which the GAN trainer uses) u is updated and
 * kept; in inference mode the stored u is used as is. u is a non-trainable weight, so it is saved
 * with the model and restored with a checkpoint.
 *
 * Implementation note: the wrapper lends the inner layer the normalized kernel for the duration of
 * its `call` (swapping the inner layer's `kernel` for an object whose `read()` returns W/σ), so
 * dense, conv and transposed-conv layers keep their own arithmetic, bias and activation.
 */
import * as tf from "@tensorflow/tfjs";
import { Matrix, SingularValueDecomposition } from "ml-matrix";

type LayerArgs = ConstructorParameters<typeof tf.layers.Layer>[0];
type Kwargs = { [key: string]: any };
type LayerVariable = tf.LayerVariable;

/** The result of power iteration on W [dOut, dIn]. */
export interface PowerIterationResult {
  u: tf.Tensor1D; // [dOut], unit norm
  v: tf.Tensor1D; // [dIn], unit norm
  sigma: tf.Scalar; // uᵀ W v, the estimate of the largest singular value
}

const EPS = 1e-12;

function normalize(x: tf.Tensor): tf.Tensor {
  return tf.div(x, tf.add(tf.norm(x), EPS));
}

/**
 * One step of power iteration for the largest singular value of W [dOut, dIn], from u [dOut]:
 * v = Wᵀu/‖Wᵀu‖, u' = Wv/‖Wv‖, σ = u'ᵀ W v.
 */
export function powerIterationStep(w: tf.Tensor2D, u: tf.Tensor1D): PowerIterationResult {
  return tf.tidy(() => {
    const v = normalize(tf.matMul(w, tf.reshape(u, [-1, 1]), true, false)); // [dIn, 1]
    const wv = tf.matMul(w, v); // [dOut, 1]
    const uNext = normalize(wv); // [dOut, 1]
    const sigma = tf.sum(tf.mul(uNext, wv)); // u'ᵀ W v
    return { u: tf.reshape(uNext, [-1]) as tf.Tensor1D, v: tf.reshape(v, [-1]) as tf.Tensor1D, sigma: sigma as tf.Scalar };
  });
}

/** A kernel of any rank as the matrix [dOut, dIn] whose spectral norm is normalized. */
export function kernelMatrix(kernel: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => tf.transpose(tf.reshape(kernel, [-1, kernel.shape[kernel.shape.length - 1]])) as tf.Tensor2D);
}

/**
 * W / σ(W) for a kernel of any rank, given the stored power-iteration vector `u` [dOut].
 * With `update`, first runs `iterations` power-iteration steps and assigns the new u to the
 * variable (the persistent state); σ is then ‖Wᵀu‖ with u constant, so gradients see ∂σ/∂W = u vᵀ.
 * Returns the normalized kernel and σ. Call inside a tidy (layers' `call` are).
 */
export function spectralNormalizeKernel(kernel: tf.Tensor, u: tf.Variable, options: { update: boolean; iterations?: number }): { kernel: tf.Tensor; sigma: tf.Scalar } {
  const rows = kernel.shape[kernel.shape.length - 1]; // dOut
  const flat = tf.reshape(kernel, [-1, rows]); // Wᵀ: [dIn, dOut]
  if (options.update) {
    const next = tf.tidy(() => {
      let uk: tf.Tensor = tf.reshape(u, [rows, 1]);
      for (let i = 0; i < (options.iterations ?? 1); i++) {
        const v = normalize(tf.matMul(flat, uk)); // Wᵀu: [dIn, 1]
        uk = normalize(tf.matMul(flat, v, true, false)); // W v: [dOut, 1]
      }
      return tf.reshape(uk, [rows]);
    });
    u.assign(next);
    next.dispose();
  }
  // A copy of u: a constant for the gradient (u is not a function of W on the tape).
  const uHat = normalize(tf.reshape(tf.clone(u), [rows, 1])); // [dOut, 1]
  const sigma = tf.norm(tf.matMul(flat, uHat)) as tf.Scalar; // ‖Wᵀu‖ = uᵀ W v
  return { kernel: tf.div(kernel, sigma), sigma };
}

/**
 * The exact largest singular value of a kernel's matrix [dOut, dIn], by a full SVD (ml-matrix):
 * the reference the power-iteration estimate is checked against.
 */
export function exactSpectralNorm(kernel: tf.Tensor): number {
  const rows = kernel.shape[kernel.shape.length - 1];
  const values = kernel.dataSync();
  const dIn = values.length / rows;
  const m = new Matrix(dIn, rows); // Wᵀ; same singular values as W
  for (let i = 0; i < dIn; i++) for (let j = 0; j < rows; j++) m.set(i, j, values[i * rows + j]);
  return Math.max(...new SingularValueDecomposition(m, { autoTranspose: true, computeLeftSingularVectors: false, computeRightSingularVectors: false }).diagonal);
}

/** Look up a registered layer class by name and build it from its config (as tfjs's own deserializer). */
function deserializeLayer(spec: { className: string; config: tf.serialization.ConfigDict }): tf.layers.Layer {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[spec.className];
  if (!entry) throw new Error(`SpectralNormalization: unknown inner layer class "${spec.className}" (is it registered?)`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, { ...spec.config }) as unknown as tf.layers.Layer;
}

export interface SpectralNormalizationArgs extends NonNullable<LayerArgs> {
  /** The layer to normalize; it must have a `kernel` weight (dense, conv2d, conv2dTranspose). */
  layer: tf.layers.Layer;
  /** Power-iteration steps per training call. Default 1 (Miyato et al. 2018). */
  powerIterations?: number;
}

export class SpectralNormalization extends tf.layers.Layer {
  static className = "SpectralNormalization";
  readonly layer: tf.layers.Layer;
  readonly powerIterations: number;
  private u: LayerVariable | null = null;

  constructor(args: SpectralNormalizationArgs) {
    super(args);
    this.layer = args.layer;
    this.powerIterations = args.powerIterations ?? 1;
    if (!(this.powerIterations >= 1 && Number.isInteger(this.powerIterations))) {
      throw new Error(`SpectralNormalization: powerIterations must be a positive integer, got ${args.powerIterations}`);
    }
  }

  build(inputShape: tf.Shape | tf.Shape[]): void {
    if (!this.layer.built) {
      this.layer.build(inputShape);
      this.layer.built = true;
    }
    const kernel = (this.layer as any).kernel as LayerVariable | undefined;
    if (!kernel) throw new Error(`SpectralNormalization: layer ${this.layer.name} (${this.layer.getClassName()}) has no kernel to normalize`);
    const dOut = kernel.shape[kernel.shape.length - 1];
    this.u = this.addWeight("u", [dOut], "float32", tf.initializers.randomNormal({ mean: 0, stddev: 1 }), undefined, false);
    this.built = true;
  }

  // The wrapper's weights are the inner layer's (kernel, bias) followed by u.
  get trainableWeights(): LayerVariable[] {
    return this.layer ? this.layer.trainableWeights : [];
  }
  get nonTrainableWeights(): LayerVariable[] {
    const own = (this as any)._nonTrainableWeights as LayerVariable[];
    return this.layer ? [...this.layer.nonTrainableWeights, ...own] : own;
  }

  setFastWeightInitDuringBuild(value: boolean): void {
    super.setFastWeightInitDuringBuild(value);
    this.layer?.setFastWeightInitDuringBuild(value);
  }

  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return this.layer.computeOutputShape(inputShape);
  }

  /** The current estimate of σ(W) from the stored u (no update). */
  sigma(): number {
    const kernel = (this.layer as any).kernel as LayerVariable;
    return tf.tidy(() => spectralNormalizeKernel(kernel.read(), this.u!.read() as tf.Variable, { update: false }).sigma.dataSync()[0]);
  }

  /** The normalized kernel W/σ as the layer currently uses it in inference (a new tensor). */
  normalizedKernel(): tf.Tensor {
    const kernel = (this.layer as any).kernel as LayerVariable;
    return tf.tidy(() => spectralNormalizeKernel(kernel.read(), this.u!.read() as tf.Variable, { update: false }).kernel);
  }

  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return tf.tidy(() => {
      const inner = this.layer as any;
      const kernel = inner.kernel as LayerVariable;
      const { kernel: wSn } = spectralNormalizeKernel(kernel.read(), this.u!.read() as tf.Variable, { update: kwargs?.training === true, iterations: this.powerIterations });
      inner.kernel = { read: () => wSn, shape: kernel.shape, dtype: kernel.dtype };
      try {
        return inner.call(inputs, kwargs);
      } finally {
        inner.kernel = kernel;
      }
    });
  }

  getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      layer: { className: this.layer.getClassName(), config: this.layer.getConfig() },
      powerIterations: this.powerIterations,
    };
  }

  static fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    const { layer, ...rest } = config as any;
    return new cls({ ...rest, layer: deserializeLayer(layer) });
  }
}
tf.serialization.registerClass(SpectralNormalization);

/** Wrap a layer with spectral normalization: `spectralNormalization({ layer: tf.layers.conv2d({...}) })`. */
export function spectralNormalization(args: SpectralNormalizationArgs): SpectralNormalization {
  return new SpectralNormalization(args);
}
