/**
 * Low-level access to the wasm backend from our kernels: tensors as views on the wasm heap,
 * temporaries, and calls to the backend's own (XNNPACK) kernels without going through the engine.
 *
 * Why: a kernel registered for "wasm" receives `TensorInfo`s whose bytes live in the module's
 * linear memory. Composite kernels (conv gradients built from Conv2D, matmul, transposes) call the
 * original wasm kernel functions directly, the way tfjs backends compose kernels internally, so no
 * engine bookkeeping, tape or tensor tracking is involved; every temporary is freed with `free`.
 *
 * Views must be taken *after* the last allocation of a section: an allocation can grow the wasm
 * memory, which detaches (single-threaded build) or leaves short (threaded build) older views.
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

export type WasmBackend = BackendWasm;
export type Info = tf.TensorInfo;
export type KernelInputs = Record<string, Info | undefined>;

/** The wasm module's memory buffer (always the current one, even after growth). */
function heapBuffer(backend: WasmBackend): ArrayBufferLike {
  const mod = backend.wasm as unknown as {
    wasmMemory?: { buffer: ArrayBufferLike }; asm?: { memory?: { buffer: ArrayBufferLike } }; HEAPU8: Uint8Array;
  };
  const memory = mod.wasmMemory ?? mod.asm?.memory;
  return memory ? memory.buffer : mod.HEAPU8.buffer;
}

function offsetOf(backend: WasmBackend, info: Info): number {
  return (backend.dataIdMap.get(info.dataId) as unknown as { memoryOffset: number }).memoryOffset;
}

/** A Float32Array view on a float32 tensor's bytes in the wasm heap. */
export function f32(backend: WasmBackend, info: Info): Float32Array {
  return new Float32Array(heapBuffer(backend), offsetOf(backend, info), tf.util.sizeFromShape(info.shape));
}

/** The whole wasm heap as float32s; with `offsetF32`, tensors can be copied into each other with copyWithin. */
export function heapF32(backend: WasmBackend): Float32Array {
  return new Float32Array(heapBuffer(backend));
}

/** Index of a tensor's first element in `heapF32`. */
export function offsetF32(backend: WasmBackend, info: Info): number {
  return offsetOf(backend, info) >>> 2;
}

/** An Int32Array view on an int32 tensor's bytes in the wasm heap. */
export function i32(backend: WasmBackend, info: Info): Int32Array {
  return new Int32Array(heapBuffer(backend), offsetOf(backend, info), tf.util.sizeFromShape(info.shape));
}

/** A typed view matching the tensor's dtype (float32, int32 or bool). */
export function view(backend: WasmBackend, info: Info): Float32Array | Int32Array | Uint8Array {
  if (info.dtype === "float32") return f32(backend, info);
  if (info.dtype === "int32") return i32(backend, info);
  if (info.dtype === "bool") {
    return new Uint8Array(heapBuffer(backend), offsetOf(backend, info), tf.util.sizeFromShape(info.shape));
  }
  throw new Error(`wasm kernels: dtype ${info.dtype} has no heap view`);
}

/** Allocate an uninitialised tensor on the wasm heap. */
export function alloc(backend: WasmBackend, shape: number[], dtype: tf.DataType = "float32"): Info {
  return backend.makeOutput(shape, dtype);
}

/** Free temporaries (skips null/undefined). */
export function free(backend: WasmBackend, ...infos: (Info | null | undefined)[]): void {
  for (const t of infos) if (t != null) backend.disposeData(t.dataId);
}

/** The same bytes seen with another shape (no copy; the caller frees only the original). */
export function reshaped(info: Info, shape: number[]): Info {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

/**
 * The wasm backend's own kernel functions, captured before we replace any of them, so that our
 * replacements can still call the originals (e.g. our BatchMatMul calls XNNPACK's through the
 * original kernel once its operands are laid out the way XNNPACK wants them).
 */
const originals = new Map<string, tf.KernelFunc>();

export function captureOriginal(kernelName: string): void {
  if (originals.has(kernelName)) return;
  const config = tf.getKernel(kernelName, "wasm");
  if (config) originals.set(kernelName, config.kernelFunc);
}

/** Run the backend's original kernel `kernelName` on TensorInfos, returning a TensorInfo. */
export function runOriginal(
  kernelName: string, backend: WasmBackend, inputs: KernelInputs, attrs: Record<string, unknown> = {},
): Info {
  let fn = originals.get(kernelName);
  if (!fn) {
    const config = tf.getKernel(kernelName, "wasm");
    if (!config) throw new Error(`wasm kernels: the wasm backend has no ${kernelName} kernel`);
    fn = config.kernelFunc;
  }
  return fn({ inputs: inputs as tf.NamedTensorInfoMap, backend, attrs: attrs as tf.NamedAttrMap }) as Info;
}

/**
 * out[M, N] = a[M, K] · b[K, N] through XNNPACK's fully-connected operator (the wasm BatchMatMul's
 * fast path: one batch, no transposes). `a` and `b` may carry any shape of the right sizes.
 */
export function matmul(backend: WasmBackend, a: Info, b: Info, m: number, k: number, n: number): Info {
  const out = runOriginal("BatchMatMul", backend, { a: reshaped(a, [1, m, k]), b: reshaped(b, [1, k, n]) },
    { transposeA: false, transposeB: false });
  return reshaped(out, [m, n]);
}

/** NHWC Conv2D of the wasm backend (XNNPACK) with explicit padding [top, bottom, left, right]. */
export function conv2d(
  backend: WasmBackend, x: Info, filter: Info, strides: [number, number],
  pads: [number, number, number, number], dilations: [number, number] = [1, 1],
): Info {
  const [t, b, l, r] = pads;
  return runOriginal("Conv2D", backend, { x, filter }, {
    strides, dilations, dataFormat: "NHWC", dimRoundingMode: undefined,
    pad: [[0, 0], [t, b], [l, r], [0, 0]],
  });
}
