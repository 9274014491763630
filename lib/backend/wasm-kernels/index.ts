/**
 * Training kernels for the wasm backend (@tensorflow/tfjs-backend-wasm 4.22), registered by
 * `initBackend` when wasm is chosen, never on import.
 *
 * Stock wasm runs conv-net inference fast (XNNPACK) but cannot train one: Conv2DBackpropFilter
 * and UnsortedSegmentSum (gather's gradient) are missing, Conv2DBackpropInput (conv2d's input
 * gradient and conv2dTranspose's forward) is a scalar loop, and matmuls with a transposed operand,
 * as in every dense layer's gradient, leave XNNPACK for a scalar loop too. We register:
 *
 *   Conv2DBackpropInput   replaced   sub-pixel phase convolutions on XNNPACK (or GEMM + col2im)
 *   Conv2DBackpropFilter  added      batch<->channel swapped XNNPACK convolution (or im2col GEMM)
 *   BatchMatMul           replaced   transposed / batched operands routed to XNNPACK's GEMM
 *   _FusedMatMul          replaced   same, keeping the fused bias and activation
 *   Transpose             replaced   cache-tiled permutation (the stock one misses per element)
 *   Identity              replaced   shares the bytes (the engine clones every tensor saved for backprop)
 *   Tile                  replaced   block copies (batch norm's gradient tiles [C] to [N, H, W, C])
 *   Sum, Mean             replaced   over outer axes without transposing first (batch norm, biases)
 *   LeakyRelu             replaced   XNNPACK's PReLU with a constant slope (the stock loop is 10x slower)
 *   Greater, Less, ...    replaced   flat loops for same-shape or scalar operands (LeakyReLU's gradient)
 *   Select                replaced   flat loop for same-shape operands (tf.where in LeakyReLU's gradient)
 *   FusedBatchNorm        replaced   one SIMD pass with per-channel statistics
 *   Add, Sub, Multiply, RealDiv  replaced for a per-channel or scalar float32 operand (SIMD), else stock
 *   UnsortedSegmentSum    added      one pass on the wasm heap
 *   DepthwiseConv2dNativeBackpropInput / ...Filter, Einsum
 *                         added      borrowed from the cpu backend (correct, cpu-speed)
 *
 * Their loops (transposes, im2col/col2im, reductions, comparisons, broadcasts) run in a small SIMD
 * module compiled from C (simd/kernels.c) that shares the tfjs heap; each has a JS fallback. The
 * replaced kernels fall back to the stock ones for dtypes and shapes they do not cover.
 *
 * Still missing on wasm (no lesson trains through them): FFT, IFFT, Complex, Real, Imag,
 * ComplexAbs (complex dtype), RaggedGather, RaggedRange, RaggedTensorToTensor,
 * StaticRegexReplace, Draw.
 *
 * With more than one core, `prepareWasmBackend` (./threads) also switches Node to the threaded
 * SIMD build so that XNNPACK uses every core.
 */
import * as tf from "@tensorflow/tfjs";
import { batchMatMulConfig, fusedMatMulConfig } from "./batch_mat_mul";
import { fusedBatchNormConfig } from "./batch_norm";
import { broadcastBinaryConfigs } from "./broadcast_binary";
import { conv2dBackpropFilterConfig } from "./conv2d_backprop_filter";
import { conv2dBackpropInputConfig } from "./conv2d_backprop_input";
import { compareConfigs, selectConfig } from "./compare_select";
import { cpuFallbackConfig } from "./cpu_fallback";
import { identityConfig } from "./identity";
import { leakyReluConfig } from "./leaky_relu";
import { meanConfig, sumConfig } from "./reduce";
import { tileConfig } from "./tile";
import { transposeConfig } from "./transpose";
import { unsortedSegmentSumConfig } from "./unsorted_segment_sum";
import { captureOriginal } from "./wasm_heap";

export { prepareWasmBackend, defaultWasmThreads, WASM_THREADS_ENV } from "./threads";

/** Kernels we register for wasm, in registration order. */
export const WASM_TRAINING_KERNELS: readonly tf.KernelConfig[] = [
  conv2dBackpropInputConfig,
  conv2dBackpropFilterConfig,
  batchMatMulConfig,
  fusedMatMulConfig,
  transposeConfig,
  identityConfig,
  tileConfig,
  sumConfig,
  meanConfig,
  leakyReluConfig,
  fusedBatchNormConfig,
  ...broadcastBinaryConfigs,
  ...compareConfigs,
  selectConfig,
  unsortedSegmentSumConfig,
  cpuFallbackConfig(tf.DepthwiseConv2dNativeBackpropInput),
  cpuFallbackConfig(tf.DepthwiseConv2dNativeBackpropFilter),
  cpuFallbackConfig(tf.Einsum),
];

/** Kernels the cpu backend has and wasm still lacks after registration (none needed to train). */
export const WASM_STILL_MISSING: readonly string[] = [
  "FFT", "IFFT", "Complex", "Real", "Imag", "ComplexAbs",
  "RaggedGather", "RaggedRange", "RaggedTensorToTensor", "StaticRegexReplace", "Draw",
];

/** The stock wasm kernels we replace (their originals stay callable from ours). */
const REPLACED = new Set<string>([
  tf.Conv2DBackpropInput, tf.BatchMatMul, tf._FusedMatMul, tf.Transpose, tf.Identity, tf.Tile, tf.Sum, tf.Mean,
  tf.LeakyRelu, tf.Prelu, tf.Select, tf.FusedBatchNorm, ...compareConfigs.map((c) => c.kernelName),
  ...broadcastBinaryConfigs.map((c) => c.kernelName),
]);

let registered = false;

/** Register our wasm training kernels with the tfjs kernel registry (idempotent). */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  // Everything our kernels call on wasm, captured before any replacement.
  for (const name of [tf.Conv2D, tf.Transpose, tf.Slice, ...REPLACED]) captureOriginal(name);
  for (const config of WASM_TRAINING_KERNELS) {
    if (tf.getKernel(config.kernelName, "wasm") != null) tf.unregisterKernel(config.kernelName, "wasm");
    tf.registerKernel(config);
  }
  registered = true;
}

/** Whether `registerWasmTrainingKernels` has run in this process. */
export function wasmTrainingKernelsRegistered(): boolean {
  return registered;
}
