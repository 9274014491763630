/**
 * UnsortedSegmentSum for the wasm backend (missing from @tensorflow/tfjs-backend-wasm 4.22).
 * It is the gradient of gather, so every embedding layer (e.g. the class embedding of a
 * conditional GAN, Mirza & Osindero 2014) needs it to train.
 *
 *   out[j, ...] = sum over i with segmentIds[i] == j of x[i, ...],   j in [0, numSegments)
 *
 * Ids outside [0, numSegments) are dropped, as the cpu backend does. One pass over x in JS on the
 * wasm heap: memory-bound, no better done by composing XNNPACK kernels. Segment ids of rank > 1
 * follow the cpu backend's own convention, so those borrow the cpu kernel (see cpu_fallback.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { runOnCpu } from "./cpu_fallback";
import { Info, WasmBackend, alloc, i32, view } from "./wasm_heap";

function unsortedSegmentSum(args: {
  inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap;
}): Info {
  const backend = args.backend as WasmBackend;
  const { x, segmentIds } = args.inputs as unknown as { x: Info; segmentIds: Info };
  const { numSegments } = (args.attrs ?? {}) as unknown as tf.UnsortedSegmentSumAttrs;
  if (x.dtype !== "float32" && x.dtype !== "int32") {
    throw new Error(`UnsortedSegmentSum (wasm): unsupported dtype ${x.dtype}; use float32 or int32`);
  }
  if (segmentIds.shape.length !== 1 || x.shape.length === 0) {
    return runOnCpu(tf.UnsortedSegmentSum, backend, args.inputs, args.attrs ?? {});
  }
  const rows = x.shape[0];
  if (segmentIds.shape[0] !== rows) {
    throw new Error(`UnsortedSegmentSum (wasm): segmentIds length ${segmentIds.shape[0]} != x.shape[0] ${rows}`);
  }
  const inner = tf.util.sizeFromShape(x.shape.slice(1));
  const out = alloc(backend, [numSegments, ...x.shape.slice(1)], x.dtype);
  const O = view(backend, out) as Float32Array | Int32Array;
  const X = view(backend, x) as Float32Array | Int32Array;
  const ids = i32(backend, segmentIds);
  O.fill(0);
  for (let i = 0; i < rows; i++) {
    const j = ids[i];
    if (j < 0 || j >= numSegments) continue;
    const src = i * inner;
    const dst = j * inner;
    for (let c = 0; c < inner; c++) O[dst + c] += X[src + c];
  }
  return out;
}

export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: "wasm",
  kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc,
};
