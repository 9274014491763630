/**
 * Add, Sub, Multiply and RealDiv for the wasm backend when one float32 operand is broadcast
 * along the last axis (a per-channel vector [C] against [..., C]) or is a scalar.
 *
 * Backprop through batch norm and every bias is made of exactly these: x - mean, dy * scale,
 * y + bias over NHWC activations. The stock kernels handle broadcasting in a generic loop that
 * runs ~3x slower than their same-shape (XNNPACK) path; the SIMD helper module streams the
 * activation once with the channel vector in registers. Everything else keeps the stock kernels.
 */
import * as tf from "@tensorflow/tfjs";
import { SimdKernels, ptr, simdFor } from "./simd";
import { Info, WasmBackend, alloc, runOriginal } from "./wasm_heap";

const OPS: Record<string, keyof SimdKernels & `bcast_${string}`> = {
  [tf.Add]: "bcast_add", [tf.Sub]: "bcast_sub", [tf.Multiply]: "bcast_mul", [tf.RealDiv]: "bcast_div",
};

const sameShape = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Channels of `small` broadcast against `full` (1 for a scalar), or 0 if not that pattern. */
function channelsOf(small: number[], full: number[]): number {
  const size = small.reduce((a, b) => a * b, 1);
  if (small.length > full.length) return 0;
  if (size === 1) return 1;
  const C = full[full.length - 1];
  if (full.length === 0 || small[small.length - 1] !== C || size !== C) return 0;
  return C;
}

function binaryConfig(name: string): tf.KernelConfig {
  const kernelFunc = (args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend }): Info => {
    const backend = args.backend as WasmBackend;
    const { a, b } = args.inputs as unknown as { a: Info; b: Info };
    const simd = simdFor(backend);
    if (simd && a.dtype === "float32" && b.dtype === "float32" && !sameShape(a.shape, b.shape)) {
      // mode 0: a is the full operand (a OP c); mode 1: b is (c OP b).
      const cA = channelsOf(b.shape, a.shape), cB = channelsOf(a.shape, b.shape);
      const mode = cA > 0 && a.shape.length > 0 ? 0 : cB > 0 && b.shape.length > 0 ? 1 : -1;
      if (mode >= 0) {
        const full = mode === 0 ? a : b, small = mode === 0 ? b : a, C = mode === 0 ? cA : cB;
        const n = tf.util.sizeFromShape(full.shape);
        const out = alloc(backend, full.shape);
        if (n > 0) simd[OPS[name]](ptr(backend, full), ptr(backend, small), ptr(backend, out), C === 1 ? n : n / C, C, mode);
        return out;
      }
    }
    return runOriginal(name, backend, args.inputs);
  };
  return { kernelName: name, backendName: "wasm", kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

export const broadcastBinaryConfigs: tf.KernelConfig[] = Object.keys(OPS).map(binaryConfig);
