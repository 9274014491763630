/**
 * Sum and Mean for the wasm backend when the innermost axis is kept.
 *
 * The stock wasm reductions only reduce innermost axes; for any other axis they first transpose
 * the whole input (with the slow stock Transpose). Training hits exactly that case all the time:
 * batch norm's moments and every bias or broadcast gradient reduce over [batch, height, width]
 * of an NHWC activation. Here rows are accumulated directly, out[k] += x[r, k] over the runs of
 * the kept innermost axis, in float64 (as the cpu backend), by the SIMD helper module when it can
 * (simd/kernels.c colsum_add), else in JS. Reductions over innermost axes keep the stock kernels.
 */
import * as tf from "@tensorflow/tfjs";
import { ptr, simdFor } from "./simd";
import { Info, WasmBackend, alloc, free, runOriginal, view } from "./wasm_heap";

/** Merge adjacent axes of the same kind (reduced / kept); size-1 axes are dropped. */
function groups(shape: number[], axes: number[]): { sizes: number[]; reduced: boolean[] } {
  const sizes: number[] = [], reduced: boolean[] = [];
  shape.forEach((s, i) => {
    if (s === 1) return;
    const r = axes.includes(i);
    if (reduced.length && reduced[reduced.length - 1] === r) sizes[sizes.length - 1] *= s;
    else { sizes.push(s); reduced.push(r); }
  });
  return { sizes, reduced };
}

/** acc[0..K) += sum of the R rows of x[xOff .. xOff + R*K), four rows per pass. */
function addRows(x: Float32Array | Int32Array, xOff: number, R: number, K: number, acc: Float64Array, aOff: number): void {
  let r = 0;
  for (; r + 3 < R; r += 4) {
    const b0 = xOff + r * K, b1 = b0 + K, b2 = b1 + K, b3 = b2 + K;
    for (let j = 0; j < K; j++) acc[aOff + j] += (x[b0 + j] + x[b1 + j]) + (x[b2 + j] + x[b3 + j]);
  }
  for (; r < R; r++) {
    const b = xOff + r * K;
    for (let j = 0; j < K; j++) acc[aOff + j] += x[b + j];
  }
}

/**
 * out[kept] = scale * sum over reduced axes of x; the last group must be kept (a contiguous run).
 * Accumulates in float64, like the cpu backend's reductions.
 */
function sumKeepingInner(x: Float32Array | Int32Array, sizes: number[], reduced: boolean[], out: Float32Array | Int32Array, scale: number): void {
  const acc = new Float64Array(out.length);
  const g = sizes.length;
  const K = sizes[g - 1];
  if (g === 2) {
    addRows(x, 0, sizes[0], K, acc, 0); // [R, K]
  } else if (g === 3 && !reduced[0]) {
    const R = sizes[1]; // [K0, R, K]
    for (let k0 = 0; k0 < sizes[0]; k0++) addRows(x, k0 * R * K, R, K, acc, k0 * K);
  } else {
    // General: walk the runs of the innermost (kept) group.
    const oStride = new Array<number>(g);
    let os = 1;
    for (let i = g - 1; i >= 0; i--) {
      if (reduced[i]) oStride[i] = 0; else { oStride[i] = os; os *= sizes[i]; }
    }
    const outer = g - 1;
    const idx = new Array<number>(outer).fill(0);
    const runs = x.length / K;
    for (let it = 0, xOff = 0; it < runs; it++, xOff += K) {
      let oOff = 0;
      for (let k = 0; k < outer; k++) oOff += idx[k] * oStride[k];
      for (let j = 0; j < K; j++) acc[oOff + j] += x[xOff + j];
      for (let k = outer - 1; k >= 0; k--) {
        if (++idx[k] < sizes[k]) break;
        idx[k] = 0;
      }
    }
  }
  for (let i = 0; i < acc.length; i++) out[i] = acc[i] * scale;
}

type ReduceAttrs = { axis: number | number[]; keepDims: boolean };

function reduce(kind: "Sum" | "Mean") {
  return (args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }): Info => {
    const backend = args.backend as WasmBackend;
    const { x } = args.inputs as unknown as { x: Info };
    const { axis, keepDims } = (args.attrs ?? {}) as unknown as ReduceAttrs;
    const original = () => runOriginal(kind, backend, args.inputs, args.attrs ?? {});
    const okDtype = kind === "Sum" ? x.dtype === "float32" || x.dtype === "int32" : x.dtype === "float32";
    if (!okDtype || x.shape.length === 0 || tf.util.sizeFromShape(x.shape) === 0) return original();
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const { sizes, reduced } = groups(x.shape, axes);
    // Nothing to reduce, only innermost axes, or nothing left: the stock kernel needs no transpose.
    if (sizes.length < 2 || reduced[sizes.length - 1] || !reduced.some((r) => r)) return original();
    const [outShape] = tf.backend_util.computeOutAndReduceShapes(x.shape, axes);
    const out = alloc(backend, keepDims ? tf.backend_util.expandShapeToKeepDim(outShape, axes) : outShape, x.dtype);
    const n = tf.util.sizeFromShape(x.shape) / tf.util.sizeFromShape(outShape);
    const scale = kind === "Mean" ? 1 / n : 1;
    const simd = simdFor(backend);
    const g = sizes.length;
    if (simd && x.dtype === "float32" && (g === 2 || (g === 3 && !reduced[0]))) {
      // [R, K] or [K0, R, K]: SIMD column sums into a float64 accumulator on the heap.
      const K0 = g === 3 ? sizes[0] : 1, R = sizes[g - 2], K = sizes[g - 1];
      const acc = alloc(backend, [K0 * K * 2]); // K0*K float64s
      const accView = () => new Float64Array(view(backend, acc).buffer, ptr(backend, acc), K0 * K);
      accView().fill(0);
      for (let k0 = 0; k0 < K0; k0++) simd.colsum_add(ptr(backend, x) + 4 * k0 * R * K, R, K, ptr(backend, acc) + 8 * k0 * K);
      const A = accView(), O = view(backend, out);
      for (let i = 0; i < A.length; i++) O[i] = A[i] * scale;
      free(backend, acc);
      return out;
    }
    const O = view(backend, out) as Float32Array | Int32Array;
    sumKeepingInner(view(backend, x) as Float32Array | Int32Array, sizes, reduced, O, scale);
    return out;
  };
}

export const sumConfig: tf.KernelConfig = {
  kernelName: tf.Sum,
  backendName: "wasm",
  kernelFunc: reduce("Sum") as unknown as tf.KernelFunc,
};

export const meanConfig: tf.KernelConfig = {
  kernelName: tf.Mean,
  backendName: "wasm",
  kernelFunc: reduce("Mean") as unknown as tf.KernelFunc,
};
