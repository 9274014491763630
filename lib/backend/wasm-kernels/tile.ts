/**
 * Tile for the wasm backend by block copies.
 *
 * Batch norm's gradient tiles a per-channel vector to the activation's full shape ([C] -> [N, H,
 * W, C]); the stock wasm Tile computes a source index per output element. Here the innermost
 * dimension is copied once and every enclosing dimension repeats the block already written with
 * copyWithin (memmove speed).
 */
import * as tf from "@tensorflow/tfjs";
import { Info, WasmBackend, alloc, runOriginal, view } from "./wasm_heap";

/** out = tile(x, reps) for typed arrays; `shape` is x's shape. */
export function tileInto(x: Float32Array | Int32Array | Uint8Array, shape: number[], reps: number[],
  out: Float32Array | Int32Array | Uint8Array): void {
  const rank = shape.length;
  const outShape = shape.map((s, i) => s * reps[i]);
  const xStrides = new Array<number>(rank), oStrides = new Array<number>(rank);
  let xs = 1, os = 1;
  for (let i = rank - 1; i >= 0; i--) {
    xStrides[i] = xs; oStrides[i] = os;
    xs *= shape[i]; os *= outShape[i];
  }
  const fill = (axis: number, xOff: number, oOff: number): void => {
    const s = shape[axis];
    if (axis === rank - 1) {
      for (let j = 0; j < s; j++) out[oOff + j] = x[xOff + j];
    } else {
      for (let i = 0; i < s; i++) fill(axis + 1, xOff + i * xStrides[axis], oOff + i * oStrides[axis]);
    }
    const block = s * oStrides[axis];
    for (let r = 1; r < reps[axis]; r++) out.copyWithin(oOff + r * block, oOff, oOff + block);
  };
  if (rank === 0) { out[0] = x[0]; return; }
  fill(0, 0, 0);
}

function tile(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }): Info {
  const backend = args.backend as WasmBackend;
  const { x } = args.inputs as unknown as { x: Info };
  const { reps } = (args.attrs ?? {}) as unknown as tf.TileAttrs;
  if (x.dtype !== "float32" && x.dtype !== "int32" && x.dtype !== "bool") {
    return runOriginal(tf.Tile, backend, args.inputs, args.attrs ?? {});
  }
  const out = alloc(backend, x.shape.map((s, i) => s * reps[i]), x.dtype);
  if (tf.util.sizeFromShape(out.shape) > 0) tileInto(view(backend, x), x.shape, reps, view(backend, out));
  return out;
}

export const tileConfig: tf.KernelConfig = {
  kernelName: tf.Tile,
  backendName: "wasm",
  kernelFunc: tile as unknown as tf.KernelFunc,
};
