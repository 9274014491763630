/**
 * PatchGAN discriminator (Isola et al. 2017, §3.2.2; Li & Wand 2016): instead of one real/fake
 * verdict per image, a fully convolutional D outputs a *grid* of logits, one per overlapping patch.
 * The pix2pix paper's D maps a 256×256 pair to 30×30 verdicts, each seeing a 70×70 patch. The L1
 * term already takes care of the low frequencies (where things are); D only has to judge local
 * texture and sharpness, which it can do patch by patch, with fewer parameters and at any image
 * size. The GAN losses of lib/losses average over all verdicts.
 *
 * Ours, for 28×28 digits:
 *   [x (, source)] [28, 28, c] → Conv(b, k4, s2) → LReLU          [14, 14, b]
 *                             → Conv(2b, k4, s2) → BN → LReLU     [7, 7, 2b]
 *                             → Conv(1, k3, s1)                   [7, 7, 1] logits
 * Each of the 7×7 verdicts sees an 18×18 patch (`receptiveField`).
 *
 * pix2pix's D is conditional: it judges the pair (source, x), concatenated along the channels
 * (`conditionChannels` > 0 makes the model take [source, x]). CycleGAN's discriminators see x only.
 */
import * as tf from "@tensorflow/tfjs";

export interface PatchGanConfig {
  imageShape?: [number, number, number]; // [28, 28, 1]
  /** Channels of a conditioning image (pix2pix's source); 0 for an unconditional D. */
  conditionChannels?: number; // 0
  baseChannels?: number; // 16
  /** Stride-2 layers before the final stride-1 layers; each halves the grid. */
  nDown?: number; // 2
  /** Batch norm after every stride-2 conv but the first. */
  batchNorm?: boolean; // true
  name?: string; // "patchgan"
}

/** One convolution's geometry, for `convOutputSize` and `receptiveField`. */
export interface ConvGeometry {
  kernel: number;
  stride: number;
  /** tfjs' "same" / "valid", or explicit zero padding p on each side (PyTorch's padding=p). */
  padding: "same" | "valid" | number;
}

/** The layers of `patchGan(config)`, in order (the last is the 1-channel verdict layer). */
export function patchGanLayers(config: Pick<PatchGanConfig, "nDown"> = {}): ConvGeometry[] {
  const nDown = config.nDown ?? 2;
  return [...Array.from({ length: nDown }, () => ({ kernel: 4, stride: 2, padding: "same" as const })), { kernel: 3, stride: 1, padding: "same" as const }];
}

/** Output size of a conv stack on an input of size n: 'same' gives ⌈n / s⌉, padding p gives ⌊(n + 2p − k) / s⌋ + 1 ('valid' is p = 0). */
export function convOutputSize(n: number, layers: ConvGeometry[]): number {
  return layers.reduce((size, l) => {
    if (l.padding === "same") return Math.ceil(size / l.stride);
    const p = l.padding === "valid" ? 0 : l.padding;
    return Math.floor((size + 2 * p - l.kernel) / l.stride) + 1;
  }, n);
}

/** Side of the input patch one output of a conv stack sees: r ← (r − 1)·s + k, from the last layer back. */
export function receptiveField(layers: ConvGeometry[]): number {
  return [...layers].reverse().reduce((r, l) => (r - 1) * l.stride + l.kernel, 1);
}

const init = () => tf.initializers.randomNormal({ mean: 0, stddev: 0.02 });

/** PatchGAN D: x [batch, h, w, c] (or [source, x]) → logits [batch, h/2^nDown, w/2^nDown, 1]. */
export function patchGan(config: PatchGanConfig = {}): tf.LayersModel {
  const [h, w, c] = config.imageShape ?? [28, 28, 1];
  const cond = config.conditionChannels ?? 0;
  const b = config.baseChannels ?? 16;
  const useBn = config.batchNorm ?? true;
  const layers = patchGanLayers(config);
  const x = tf.input({ shape: [h, w, c], name: "x" });
  const source = cond > 0 ? tf.input({ shape: [h, w, cond], name: "source" }) : null;
  let y: tf.SymbolicTensor = source ? (tf.layers.concatenate({ name: "pair" }).apply([source, x]) as tf.SymbolicTensor) : x; // [batch, h, w, cond + c]
  layers.slice(0, -1).forEach((l, i) => {
    y = tf.layers.conv2d({ filters: b * Math.min(2 ** i, 8), kernelSize: l.kernel, strides: l.stride, padding: "same", kernelInitializer: init(), useBias: !(useBn && i > 0), name: `patch_conv${i + 1}` }).apply(y) as tf.SymbolicTensor;
    if (useBn && i > 0) y = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, name: `patch_bn${i + 1}` }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.leakyReLU({ alpha: 0.2 }).apply(y) as tf.SymbolicTensor;
  });
  const last = layers[layers.length - 1];
  const logits = tf.layers.conv2d({ filters: 1, kernelSize: last.kernel, strides: last.stride, padding: "same", kernelInitializer: init(), name: "patch_logits" }).apply(y) as tf.SymbolicTensor; // [batch, h', w', 1]
  return tf.model({ inputs: source ? [source, x] : x, outputs: logits, name: config.name ?? "patchgan" });
}
