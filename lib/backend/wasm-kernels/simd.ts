/**
 * The SIMD helper module (simd/kernels.c, built by simd/build.sh into ./simd-binary.ts),
 * instantiated on the wasm backend's own memory: its functions take tensors' byte offsets in the
 * tfjs heap and work in place, 3-10x faster than the equivalent JS loops (wasm SIMD, no bounds
 * checks). One instance per backend; if WebAssembly SIMD or the memory import is unavailable,
 * `simdFor` returns null and the kernels keep their JS paths.
 */
import { SIMD_WASM_PLAIN, SIMD_WASM_SHARED } from "./simd-binary";
import { Info, WasmBackend } from "./wasm_heap";

export interface SimdKernels {
  cmp_gt(a: number, b: number, out: number, n: number, mode: number): void;
  cmp_ge(a: number, b: number, out: number, n: number, mode: number): void;
  cmp_lt(a: number, b: number, out: number, n: number, mode: number): void;
  cmp_le(a: number, b: number, out: number, n: number, mode: number): void;
  cmp_eq(a: number, b: number, out: number, n: number, mode: number): void;
  cmp_ne(a: number, b: number, out: number, n: number, mode: number): void;
  select32(c: number, t: number, e: number, o: number, n: number): void;
  colsum_add(x: number, rows: number, cols: number, acc: number): void;
  transpose_plane32(x: number, out: number, A: number, B: number, xa: number, ob: number): void;
  im2col_t(x: number, colsT: number, ...geometry: number[]): void;
  col2im_add(cols: number, dx: number, ...geometry: number[]): void;
  bcast_add(a: number, c: number, out: number, rows: number, channels: number, mode: number): void;
  bcast_sub(a: number, c: number, out: number, rows: number, channels: number, mode: number): void;
  bcast_mul(a: number, c: number, out: number, rows: number, channels: number, mode: number): void;
  bcast_div(a: number, c: number, out: number, rows: number, channels: number, mode: number): void;
  batchnorm(x: number, mean: number, inv: number, offset: number, out: number, rows: number, channels: number): void;
  weighted_rowsum(x: number, w: number, rows: number, cols: number, out: number): void;
}

/** Switch, exposed so tests can run the JS fallbacks too. */
export const simdTuning = { enabled: true };

const instances = new WeakMap<WasmBackend, SimdKernels | null>();

// lib compiles without the DOM typings, so WebAssembly is typed loosely here.
type Memory = { buffer: ArrayBufferLike };
const WA = (globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array) => unknown; Instance: new (m: unknown, i: object) => { exports: unknown } } }).WebAssembly;

function memoryOf(backend: WasmBackend): Memory | null {
  const mod = backend.wasm as unknown as { wasmMemory?: Memory; asm?: { memory?: Memory } };
  return mod.wasmMemory ?? mod.asm?.memory ?? null;
}

/** The helper module on this backend's heap, or null (SIMD disabled or unavailable). */
export function simdFor(backend: WasmBackend): SimdKernels | null {
  if (!simdTuning.enabled) return null;
  if (instances.has(backend)) return instances.get(backend)!;
  let kernels: SimdKernels | null = null;
  try {
    const memory = memoryOf(backend);
    if (memory) {
      const shared = typeof SharedArrayBuffer !== "undefined" && memory.buffer instanceof SharedArrayBuffer;
      const bytes = Buffer.from(shared ? SIMD_WASM_SHARED : SIMD_WASM_PLAIN, "base64");
      const instance = new WA.Instance(new WA.Module(bytes), { env: { memory } });
      kernels = instance.exports as unknown as SimdKernels;
    }
  } catch {
    kernels = null;
  }
  instances.set(backend, kernels);
  return kernels;
}

/** A tensor's byte offset in the wasm heap (the pointer the SIMD functions take). */
export function ptr(backend: WasmBackend, info: Info): number {
  return (backend.dataIdMap.get(info.dataId) as unknown as { memoryOffset: number }).memoryOffset;
}
