/**
 * Transpose for the wasm backend, tiled for the cache.
 *
 * The stock wasm Transpose walks the output in order and gathers the input element by element
 * (~10-20 ns per element for a batch<->channel swap of a 64x14x14x64 activation, i.e. one cache
 * miss per element). Our conv gradients transpose activations of that size several times per
 * training step, so we permute in JS on the wasm heap instead: dimensions that stay in place are
 * copied as contiguous runs, and when the innermost dimension moves, the plane spanned by the
 * input's and the output's innermost dimensions is copied in 16x16 tiles (both sides then read
 * and write whole cache lines). 4-byte elements use the SIMD helper module's 4x4 register
 * transposes (simd/kernels.c) when available.
 */
import * as tf from "@tensorflow/tfjs";
import { ptr, simdFor } from "./simd";
import { Info, WasmBackend, alloc, runOriginal, view } from "./wasm_heap";

type Arr = Float32Array | Int32Array | Uint8Array;
const TILE = 16;

/** Drop size-1 dims and merge input dims that stay adjacent and in order under `perm`. */
export function simplifyPermutation(shape: number[], perm: number[]): { shape: number[]; perm: number[] } {
  const keep = shape.map((_, i) => i).filter((i) => shape[i] !== 1);
  let s = keep.map((i) => shape[i]);
  let p = perm.filter((i) => shape[i] !== 1).map((i) => keep.indexOf(i));
  // Merge: output-consecutive dims p[j], p[j+1] with p[j+1] == p[j] + 1 are one input dim.
  for (let j = p.length - 2; j >= 0; j--) {
    if (p[j + 1] === p[j] + 1) {
      const a = p[j];
      s = [...s.slice(0, a), s[a] * s[a + 1], ...s.slice(a + 2)];
      p = p.filter((_, k) => k !== j + 1).map((v) => (v > a ? v - 1 : v));
    }
  }
  return { shape: s, perm: p };
}

/**
 * How to permute: after simplification, either the innermost input dim stays innermost (copy
 * runs of `run` elements, `runs` of them in output order) or it moves (copy the planes spanned by
 * input dim a, which becomes the output's innermost, and the input's innermost dim b).
 */
interface PermutePlan {
  s: number[]; p: number[]; rank: number;
  inStrides: number[]; outShape: number[]; inDimOutStride: number[];
}

function planPermutation(shape: number[], perm: number[]): PermutePlan {
  const { shape: s, perm: p } = simplifyPermutation(shape, perm);
  const rank = s.length;
  const inStrides = new Array<number>(rank);
  const outShape = p.map((a) => s[a]);
  const outStrides = new Array<number>(rank);
  if (rank > 0) {
    inStrides[rank - 1] = 1;
    for (let i = rank - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1] * s[i + 1];
    outStrides[rank - 1] = 1;
    for (let i = rank - 2; i >= 0; i--) outStrides[i] = outStrides[i + 1] * outShape[i + 1];
  }
  const inDimOutStride = new Array<number>(rank);
  for (let j = 0; j < rank; j++) inDimOutStride[p[j]] = outStrides[j];
  return { s, p, rank, inStrides, outShape, inDimOutStride };
}

/** Calls `fn(xOffset, outOffset)` for every plane of a plan whose innermost input dim moves. */
function forEachPlane(plan: PermutePlan, fn: (xBase: number, oBase: number) => void): { A: number; B: number; aIn: number; bOut: number } {
  const { s, p, rank, inStrides, inDimOutStride } = plan;
  const a = p[rank - 1], b = rank - 1;
  const outer: number[] = [];
  for (let d = 0; d < rank; d++) if (d !== a && d !== b) outer.push(d);
  const counts = outer.map((d) => s[d]);
  const idx = new Array<number>(outer.length).fill(0);
  let total = 1;
  for (const c of counts) total *= c;
  for (let it = 0; it < total; it++) {
    let xBase = 0, oBase = 0;
    for (let k = 0; k < outer.length; k++) {
      xBase += idx[k] * inStrides[outer[k]];
      oBase += idx[k] * inDimOutStride[outer[k]];
    }
    fn(xBase, oBase);
    for (let k = outer.length - 1; k >= 0; k--) {
      if (++idx[k] < counts[k]) break;
      idx[k] = 0;
    }
  }
  return { A: s[a], B: s[b], aIn: inStrides[a], bOut: inDimOutStride[b] };
}

/** out = permute(x, perm) for typed arrays, `shape` the shape of x. */
export function permute(x: Arr, shape: number[], perm: number[], out: Arr): void {
  const plan = planPermutation(shape, perm);
  const { s, p, rank, inStrides, outShape } = plan;
  if (rank <= 1) { out.set(x.subarray(0, out.length)); return; }
  if (p[rank - 1] === rank - 1) {
    // The innermost dim stays innermost: copy contiguous runs in output order.
    const run = s[rank - 1];
    const dims = rank - 1;
    const idx = new Array<number>(dims).fill(0);
    const total = out.length / run;
    // Long runs between arrays on the same buffer (the wasm heap): memmove with copyWithin.
    const bpe = x.BYTES_PER_ELEMENT;
    const whole = run >= 16 && x.buffer === out.buffer && bpe === out.BYTES_PER_ELEMENT
      ? new (x.constructor as Float32ArrayConstructor)(x.buffer as ArrayBuffer, 0, Math.floor(x.buffer.byteLength / bpe)) : null;
    const xo = x.byteOffset / bpe, oo = out.byteOffset / bpe;
    for (let it = 0, o = 0; it < total; it++, o += run) {
      let xOff = 0;
      for (let k = 0; k < dims; k++) xOff += idx[k] * inStrides[p[k]];
      if (whole) whole.copyWithin(oo + o, xo + xOff, xo + xOff + run);
      else for (let j = 0; j < run; j++) out[o + j] = x[xOff + j];
      for (let k = dims - 1; k >= 0; k--) {
        if (++idx[k] < outShape[k]) break;
        idx[k] = 0;
      }
    }
    return;
  }
  // The input's innermost dim moves: copy each plane in TILE x TILE blocks.
  const a = p[rank - 1];
  const A = s[a], B = s[rank - 1], aIn = inStrides[a], bOut = plan.inDimOutStride[rank - 1];
  forEachPlane(plan, (xBase, oBase) => {
    for (let a0 = 0; a0 < A; a0 += TILE) {
      const a1 = Math.min(a0 + TILE, A);
      for (let b0 = 0; b0 < B; b0 += TILE) {
        const b1 = Math.min(b0 + TILE, B);
        for (let i = a0; i < a1; i++) {
          const xi = xBase + i * aIn;
          const oi = oBase + i;
          for (let j = b0; j < b1; j++) out[oi + j * bOut] = x[xi + j];
        }
      }
    }
  });
}

/** `x` permuted by `perm`, as a new wasm tensor. */
export function transpose(backend: WasmBackend, x: Info, perm: number[]): Info {
  const { perm: p } = simplifyPermutation(x.shape, perm);
  if ((x.dtype !== "float32" && x.dtype !== "int32" && x.dtype !== "bool") || p.every((v, i) => v === i)) {
    return runOriginal(tf.Transpose, backend, { x }, { perm });
  }
  const out = alloc(backend, perm.map((i) => x.shape[i]), x.dtype);
  const plan = planPermutation(x.shape, perm);
  const simd = simdFor(backend);
  if (simd && x.dtype !== "bool" && plan.rank > 1 && plan.p[plan.rank - 1] !== plan.rank - 1) {
    // 4-byte elements whose innermost dim moves: 4x4 SIMD register transposes per plane.
    const xp = ptr(backend, x), op = ptr(backend, out);
    const a = plan.p[plan.rank - 1];
    const A = plan.s[a], B = plan.s[plan.rank - 1], aIn = plan.inStrides[a], bOut = plan.inDimOutStride[plan.rank - 1];
    forEachPlane(plan, (xBase, oBase) => simd.transpose_plane32(xp + 4 * xBase, op + 4 * oBase, A, B, aIn, bOut));
    return out;
  }
  permute(view(backend, x), x.shape, perm, view(backend, out));
  return out;
}

function transposeKernel(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }): Info {
  const { x } = args.inputs as unknown as { x: Info };
  const { perm } = (args.attrs ?? {}) as unknown as tf.TransposeAttrs;
  return transpose(args.backend as WasmBackend, x, perm);
}

export const transposeConfig: tf.KernelConfig = {
  kernelName: tf.Transpose,
  backendName: "wasm",
  kernelFunc: transposeKernel as unknown as tf.KernelFunc,
};
