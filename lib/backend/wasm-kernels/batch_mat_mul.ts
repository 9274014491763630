/**
 * BatchMatMul and _FusedMatMul for the wasm backend, routed to XNNPACK in every layout.
 *
 * The stock wasm kernels call XNNPACK's GEMM only for a single batch without transposes; anything
 * else runs a scalar blocked loop ~20x slower. Backprop always hits the slow case: the gradient of
 * a dense layer y = x·W is dW = x^T·dy and dx = dy·W^T (transposeA / transposeB), and attention
 * layers multiply batches. Here a transposed operand is first laid out by our tiled Transpose
 * (or the product is computed transposed, whichever moves less data), and a batch runs as one
 * GEMM per batch member; small products keep the original loop, cheaper than the set-up.
 */
import * as tf from "@tensorflow/tfjs";
import { transpose } from "./transpose";
import { ptr, simdFor } from "./simd";
import { Info, WasmBackend, alloc, f32, free, reshaped, runOriginal } from "./wasm_heap";

/**
 * Rough costs in ns on one core, to pick a plan: moving an element through a JS transpose, XNNPACK
 * packing an element of its right operand, one multiply-add in XNNPACK's GEMM and in the stock
 * scalar loop, and creating an XNNPACK operator.
 */
const COST = { transpose: 3, pack: 1, xnnMac: 0.06, loopMac: 1.5, operator: 10_000 };

/** Plan choice, exposed so tests can exercise every plan: "auto" picks the cheapest. */
export const matMulTuning: { plan: "auto" | "direct" | "transposed" | "loop" } = { plan: "auto" };

interface Shape3 { batch: number; rows: number; cols: number }

function as3d(t: Info): Shape3 {
  const r = t.shape.length;
  return { batch: tf.util.sizeFromShape(t.shape.slice(0, -2)), rows: t.shape[r - 2], cols: t.shape[r - 1] };
}

/** `t` as [batch, rows, cols], physically transposed in its last two dims when `flip`. */
function laidOut(backend: WasmBackend, t: Info, s: Shape3, flip: boolean): { info: Info; temp: boolean } {
  const t3 = reshaped(t, [s.batch, s.rows, s.cols]);
  if (!flip) return { info: t3, temp: false };
  return { info: transpose(backend, t3, [0, 2, 1]), temp: true };
}

/** left[batch, M, K] · right[batch, K, N] with XNNPACK, one GEMM per batch member. */
function gemm(backend: WasmBackend, left: Info, right: Info, M: number, K: number, N: number,
  fused?: { inputs: tf.NamedTensorInfoMap; attrs: tf.NamedAttrMap }): Info {
  const bl = left.shape[0], br = right.shape[0], batch = Math.max(bl, br);
  if (batch === 1) {
    const kernel = fused ? "_FusedMatMul" : "BatchMatMul";
    return runOriginal(kernel, backend, { ...(fused?.inputs ?? {}), a: left, b: right },
      { ...(fused?.attrs ?? {}), transposeA: false, transposeB: false });
  }
  // XNNPACK packs (and caches) its right operand per tensor, so each member gets its own tensors.
  const out = alloc(backend, [batch, M, N]);
  const aSlice = alloc(backend, [1, M, K]);
  for (let i = 0; i < batch; i++) {
    const bSlice = alloc(backend, [1, K, N]);
    const ia = bl === 1 ? 0 : i, ib = br === 1 ? 0 : i;
    if (i === 0 || bl !== 1) f32(backend, aSlice).set(f32(backend, left).subarray(ia * M * K, (ia + 1) * M * K));
    f32(backend, bSlice).set(f32(backend, right).subarray(ib * K * N, (ib + 1) * K * N));
    const o = runOriginal(fused ? "_FusedMatMul" : "BatchMatMul", backend, { ...(fused?.inputs ?? {}), a: aSlice, b: bSlice },
      { ...(fused?.attrs ?? {}), transposeA: false, transposeB: false });
    f32(backend, out).set(f32(backend, o), i * M * N);
    free(backend, o, bSlice);
  }
  free(backend, aSlice);
  return out;
}

/**
 * out = op(a) · op(b) with XNNPACK; returns null when the original kernel should run instead.
 * XNNPACK multiplies left[M, K] by right[K, N] and repacks `right`, so a transposed operand must be
 * laid out first. Two plans: C = op(a) · op(b), or C^T = op(b)^T · op(a)^T then one transpose of
 * C, which avoids transposing a big weight matrix in dx = dy · W^T. The cheaper plan wins, and
 * the stock scalar loop wins for small products. `fused` carries _FusedMatMul's bias and
 * activation (always plan 1: XNNPACK applies them per batch member).
 */
function xnnMatMul(
  backend: WasmBackend, a: Info, b: Info, transposeA: boolean, transposeB: boolean,
  fused?: { inputs: tf.NamedTensorInfoMap; attrs: tf.NamedAttrMap },
): Info | null {
  if (a.dtype !== "float32" || b.dtype !== "float32") return null;
  const sa = as3d(a), sb = as3d(b);
  const M = transposeA ? sa.cols : sa.rows;
  const K = transposeA ? sa.rows : sa.cols;
  const N = transposeB ? sb.rows : sb.cols;
  const kB = transposeB ? sb.cols : sb.rows;
  if (K !== kB) return null; // let the original kernel report the shape error
  const batch = Math.max(sa.batch, sb.batch);
  if ((sa.batch !== batch && sa.batch !== 1) || (sb.batch !== batch && sb.batch !== 1)) return null;
  if (batch === 1 && !transposeA && !transposeB) return null; // the original already uses XNNPACK
  const simd = simdFor(backend);
  if (simd && !fused && batch === 1 && N === 1 && transposeA && !transposeB && matMulTuning.plan === "auto") {
    // A^T v (a one-unit dense layer's weight gradient): one SIMD pass over A, no packing.
    const out = alloc(backend, [M, 1]);
    simd.weighted_rowsum(ptr(backend, a), ptr(backend, b), K, M, ptr(backend, out));
    return reshaped(out, [...tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)), M, 1]);
  }

  const macs = batch * M * N * K;
  const tA = transposeA ? 1 : 0, tB = transposeB ? 1 : 0;
  const ops = batch * COST.operator;
  const plan1 = ops + COST.transpose * (tA * sa.batch * M * K + tB * sb.batch * K * N) + COST.pack * batch * K * N;
  const plan2 = fused ? Infinity : ops + COST.transpose * ((1 - tB) * sb.batch * K * N + (1 - tA) * sa.batch * M * K + batch * M * N) + COST.pack * batch * K * M;
  const loop = COST.loopMac * macs;
  const xnn = Math.min(plan1, plan2) + COST.xnnMac * macs;
  // The stock loop broadcasts a fused bias wrongly (it indexes the bias with the flat output index,
  // correct for row 0 only), so a fused product never takes it.
  const plan = fused ? "direct"
    : matMulTuning.plan === "auto" ? (loop <= xnn ? "loop" : plan1 <= plan2 ? "direct" : "transposed")
    : matMulTuning.plan;
  if (plan === "loop") return null;

  const outShape = [...tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)), M, N];
  if (plan === "direct") {
    const A = laidOut(backend, a, sa, transposeA); // [batchA, M, K]
    const B = laidOut(backend, b, sb, transposeB); // [batchB, K, N]
    try {
      return reshaped(gemm(backend, A.info, B.info, M, K, N, fused), outShape);
    } finally {
      if (A.temp) free(backend, A.info);
      if (B.temp) free(backend, B.info);
    }
  }
  const L = laidOut(backend, b, sb, !transposeB); // op(b)^T: [batchB, N, K]
  const R = laidOut(backend, a, sa, !transposeA); // op(a)^T: [batchA, K, M]
  try {
    const cT = gemm(backend, L.info, R.info, N, K, M); // [batch, N, M]
    const c = transpose(backend, cT, [0, 2, 1]);
    free(backend, cT);
    return reshaped(c, outShape);
  } finally {
    if (L.temp) free(backend, L.info);
    if (R.temp) free(backend, R.info);
  }
}

type Args = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap };

function batchMatMul(args: Args): Info {
  const backend = args.backend as WasmBackend;
  const { a, b } = args.inputs as unknown as { a: Info; b: Info };
  const { transposeA, transposeB } = (args.attrs ?? {}) as unknown as tf.BatchMatMulAttrs;
  return xnnMatMul(backend, a, b, !!transposeA, !!transposeB) ??
    runOriginal("BatchMatMul", backend, args.inputs, args.attrs ?? {});
}

function fusedMatMul(args: Args): Info {
  const backend = args.backend as WasmBackend;
  const { a, b, ...rest } = args.inputs as unknown as { a: Info; b: Info } & tf.NamedTensorInfoMap;
  const attrs = (args.attrs ?? {}) as unknown as tf._FusedMatMulAttrs;
  return xnnMatMul(backend, a, b, !!attrs.transposeA, !!attrs.transposeB, { inputs: rest, attrs: args.attrs ?? {} }) ??
    runOriginal("_FusedMatMul", backend, args.inputs, args.attrs ?? {});
}

export const batchMatMulConfig: tf.KernelConfig = {
  kernelName: tf.BatchMatMul,
  backendName: "wasm",
  kernelFunc: batchMatMul as unknown as tf.KernelFunc,
};

export const fusedMatMulConfig: tf.KernelConfig = {
  kernelName: tf._FusedMatMul,
  backendName: "wasm",
  kernelFunc: fusedMatMul as unknown as tf.KernelFunc,
};
