/**
 * LeakyRelu for the wasm backend through XNNPACK's PReLU operator.
 *
 * The stock wasm LeakyRelu is a scalar loop at ~10 ns per element, ten times slower than the
 * XNNPACK-backed elementwise kernels; every DCGAN discriminator layer runs it (Maas et al. 2013's
 * leaky ReLU, used by Radford et al. 2015). LeakyReLU(x) = PReLU(x) with the same slope for every
 * channel (He et al. 2015), so we call the wasm Prelu kernel (XNNPACK, SIMD, threaded) with a
 * per-channel slope vector filled with alpha, kept per backend, channel count and alpha (XNNPACK
 * caches its operator on that vector).
 */
import * as tf from "@tensorflow/tfjs";
import { Info, WasmBackend, alloc, f32, runOriginal } from "./wasm_heap";

const slopes = new WeakMap<WasmBackend, Map<string, Info>>();

function slopeVector(backend: WasmBackend, channels: number, alpha: number): Info {
  let cache = slopes.get(backend);
  if (!cache) slopes.set(backend, (cache = new Map()));
  const key = `${channels}:${alpha}`;
  let info = cache.get(key);
  if (!info) {
    info = alloc(backend, [channels]);
    f32(backend, info).fill(alpha);
    cache.set(key, info);
  }
  return info;
}

function leakyRelu(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }): Info {
  const backend = args.backend as WasmBackend;
  const { x } = args.inputs as unknown as { x: Info };
  const { alpha } = (args.attrs ?? {}) as unknown as tf.LeakyReluAttrs;
  if (x.dtype !== "float32" || x.shape.length === 0 || tf.util.sizeFromShape(x.shape) === 0) {
    return runOriginal(tf.LeakyRelu, backend, args.inputs, args.attrs ?? {});
  }
  const channels = x.shape[x.shape.length - 1];
  return runOriginal(tf.Prelu, backend, { x, alpha: slopeVector(backend, channels, alpha) });
}

export const leakyReluConfig: tf.KernelConfig = {
  kernelName: tf.LeakyRelu,
  backendName: "wasm",
  kernelFunc: leakyRelu as unknown as tf.KernelFunc,
};
