/**
 * Comparisons (Greater, GreaterEqual, Less, LessEqual, Equal, NotEqual) and Select (tf.where) for
 * the wasm backend, on the wasm heap in JS for the shapes training produces.
 *
 * The stock kernels go through a generic broadcasting loop at ~8-10 ns per element. Backprop
 * through every LeakyReLU runs where(x > 0, dy, alpha * dy) over the whole activation, so those
 * two kernels cost more than the activation itself. Same-shape operands or a scalar operand take
 * flat loop here: the SIMD helper module (simd/kernels.c) for float32, else branch-free JS; other
 * broadcasts keep the stock kernels.
 */
import * as tf from "@tensorflow/tfjs";
import { SimdKernels, ptr, simdFor } from "./simd";
import { Info, WasmBackend, alloc, i32, runOriginal, view } from "./wasm_heap";

type Num = Float32Array | Int32Array | Uint8Array;


const sameShape = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
const numeric = (t: Info) => t.dtype === "float32" || t.dtype === "int32" || t.dtype === "bool";

/**
 * Flat loops. `+(a > b)` compiles without a branch (a ternary mispredicts on every other element
 * of random data, ~6x slower), and each loop is its own function so that V8 sees one array type
 * per call site (float32 operands; other dtypes share the generic loops).
 */
type Loop = (A: Float32Array, B: Float32Array, out: Uint8Array) => void;
type AnyLoop = (A: Num, B: Num, out: Uint8Array) => void;
interface Loops { same: Loop; scalarB: Loop; scalarA: Loop; anySame: AnyLoop; anyScalarB: AnyLoop; anyScalarA: AnyLoop }
const LOOPS: Record<string, Loops> = {
  [tf.Greater]: {
    same: (A, B, o) => { for (let i = 0; i < o.length; i++) o[i] = +(A[i] > B[i]); },
    scalarB: (A, B, o) => { const b = B[0]; for (let i = 0; i < o.length; i++) o[i] = +(A[i] > b); },
    scalarA: (A, B, o) => { const a = A[0]; for (let i = 0; i < o.length; i++) o[i] = +(a > B[i]); },
    anySame: (A, B, o) => { for (let i = 0; i < o.length; i++) o[i] = +(A[i] > B[i]); },
    anyScalarB: (A, B, o) => { const b = B[0]; for (let i = 0; i < o.length; i++) o[i] = +(A[i] > b); },
    anyScalarA: (A, B, o) => { const a = A[0]; for (let i = 0; i < o.length; i++) o[i] = +(a > B[i]); },
  },
  [tf.GreaterEqual]: {
    same: (A, B, o) => { for (let i = 0; i < o.length; i++) o[i] = +(A[i] >= B[i]); },
    scalarB: (A, B, o) => { const b = B[0]; for (let i = 0; i < o.length; i++) o[i] = +(A[i] >= b); },
    scalarA: (A, B, o) => { const a = A[0]; for (let i = 0; i < o.length; i++) o[i] = +(a >= B[i]); },
    anySame: (A, B, o) => { for (let i = 0; i < o.length; i++) o[i] = +(A[i] >= B[i]); },
    anyScalarB: (A, B, o) => { const b = B[0]; for (let i = 0; i < o.length; i++) o[i] = +(A[i] >= b); },
    anyScalarA: (A, B, o) => { const a = A[0]; for (let i = 0; i < o.length; i++) o[i] = +(a >= B[i]); },
  },
  [tf.Less]: {
    same: (A, B, o) => { for (let i = 0; i < o.length; i++) o[i] = +(A[i] < B[i]); },
    scalarB: (A, B, o) => { const b = B[0]; for (let i = 0; i < o.length; i++) o[i] = +(A[i] < b); },
    scalarA: (A, B, o) => { const a = A[0]; for (let i = 0; i < o.length; i++) o[i] = +(a < B[i]); },
    anySame: (A, B, o) => { for (let i = 0; i < o.length; i++) o[i] = +(A[i] < B[i]); },
    anyScalarB: (A, B, o) => { const b = B[0]; for (let i = 0; i < o.length; i++) o[i] = +(A[i] < b); },
    anyScalarA: (A, B, o) => { const a = A[0]; for (let i = 0; i < o.length; i++) o[i] = +(a < B[i]); },
  },
  [tf.LessEqual]: {
    same: (A, B, o) => { for (let i = 0; i < o.length; i++) o[i] = +(A[i] <= B[i]); },
    scalarB: (A, B, o) => { const b = B[0]; for (let i = 0; i < o.length; i++) o[i] = +(A[i] <= b); },
    scalarA: (A, B, o) => { const a = A[0]; for (let i = 0; i < o.length; i++) o[i] = +(a <= B[i]); },
    anySame: (A, B, o) => { for (let i = 0; i < o.length; i++) o[i] = +(A[i] <= B[i]); },
    anyScalarB: (A, B, o) => { const b = B[0]; for (let i = 0; i < o.length; i++) o[i] = +(A[i] <= b); },
    anyScalarA: (A, B, o) => { const a = A[0]; for (let i = 0; i < o.length; i++) o[i] = +(a <= B[i]); },
  },
  [tf.Equal]: {
    same: (A, B, o) => { for (let i = 0; i < o.length; i++) o[i] = +(A[i] === B[i]); },
    scalarB: (A, B, o) => { const b = B[0]; for (let i = 0; i < o.length; i++) o[i] = +(A[i] === b); },
    scalarA: (A, B, o) => { const a = A[0]; for (let i = 0; i < o.length; i++) o[i] = +(a === B[i]); },
    anySame: (A, B, o) => { for (let i = 0; i < o.length; i++) o[i] = +(A[i] === B[i]); },
    anyScalarB: (A, B, o) => { const b = B[0]; for (let i = 0; i < o.length; i++) o[i] = +(A[i] === b); },
    anyScalarA: (A, B, o) => { const a = A[0]; for (let i = 0; i < o.length; i++) o[i] = +(a === B[i]); },
  },
  [tf.NotEqual]: {
    same: (A, B, o) => { for (let i = 0; i < o.length; i++) o[i] = +(A[i] !== B[i]); },
    scalarB: (A, B, o) => { const b = B[0]; for (let i = 0; i < o.length; i++) o[i] = +(A[i] !== b); },
    scalarA: (A, B, o) => { const a = A[0]; for (let i = 0; i < o.length; i++) o[i] = +(a !== B[i]); },
    anySame: (A, B, o) => { for (let i = 0; i < o.length; i++) o[i] = +(A[i] !== B[i]); },
    anyScalarB: (A, B, o) => { const b = B[0]; for (let i = 0; i < o.length; i++) o[i] = +(A[i] !== b); },
    anyScalarA: (A, B, o) => { const a = A[0]; for (let i = 0; i < o.length; i++) o[i] = +(a !== B[i]); },
  },
};

function compareLoop(name: string, A: Num, B: Num, out: Uint8Array, aScalar: boolean, bScalar: boolean): void {
  const l = LOOPS[name];
  if (A instanceof Float32Array && B instanceof Float32Array) {
    (bScalar ? l.scalarB : aScalar ? l.scalarA : l.same)(A, B, out);
  } else {
    (bScalar ? l.anyScalarB : aScalar ? l.anyScalarA : l.anySame)(A, B, out);
  }
}

const SIMD_CMP: Record<string, keyof SimdKernels & `cmp_${string}`> = {
  [tf.Greater]: "cmp_gt", [tf.GreaterEqual]: "cmp_ge", [tf.Less]: "cmp_lt",
  [tf.LessEqual]: "cmp_le", [tf.Equal]: "cmp_eq", [tf.NotEqual]: "cmp_ne",
};

function compareConfig(name: string): tf.KernelConfig {
  const kernelFunc = (args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend }): Info => {
    const backend = args.backend as WasmBackend;
    const { a, b } = args.inputs as unknown as { a: Info; b: Info };
    const aScalar = a.shape.length === 0 || tf.util.sizeFromShape(a.shape) === 1;
    const bScalar = b.shape.length === 0 || tf.util.sizeFromShape(b.shape) === 1;
    const same = sameShape(a.shape, b.shape);
    // Both "scalars" of different rank (e.g. [] vs [1, 1]) still broadcast to a shape: keep stock.
    const outShape = same ? a.shape : bScalar && !aScalar ? a.shape : aScalar && !bScalar ? b.shape : null;
    if (!outShape || !numeric(a) || !numeric(b) || a.dtype !== b.dtype) {
      return runOriginal(name, backend, args.inputs);
    }
    const out = alloc(backend, outShape, "bool");
    const simd = simdFor(backend);
    if (simd && a.dtype === "float32") {
      const mode = same ? 0 : bScalar ? 1 : 2;
      simd[SIMD_CMP[name]](ptr(backend, a), ptr(backend, b), ptr(backend, out), tf.util.sizeFromShape(outShape), mode);
    } else {
      compareLoop(name, view(backend, a), view(backend, b), view(backend, out) as Uint8Array, aScalar && !same, bScalar && !same);
    }
    return out;
  };
  return { kernelName: name, backendName: "wasm", kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

export const compareConfigs: tf.KernelConfig[] = Object.keys(LOOPS).map(compareConfig);

function selectWords(C: Uint8Array, T: Int32Array, E: Int32Array, O: Int32Array): void {
  for (let i = 0; i < O.length; i++) {
    const m = -C[i];
    O[i] = (T[i] & m) | (E[i] & ~m);
  }
}

function selectBytes(C: Uint8Array, T: Uint8Array, E: Uint8Array, O: Uint8Array): void {
  for (let i = 0; i < O.length; i++) {
    const m = -C[i];
    O[i] = (T[i] & m) | (E[i] & ~m);
  }
}

function select(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend }): Info {
  const backend = args.backend as WasmBackend;
  const { condition, t, e } = args.inputs as unknown as { condition: Info; t: Info; e: Info };
  if (!sameShape(condition.shape, t.shape) || !sameShape(t.shape, e.shape) || !numeric(t) || t.dtype !== e.dtype || condition.dtype !== "bool") {
    return runOriginal(tf.Select, backend, args.inputs);
  }
  const out = alloc(backend, t.shape, t.dtype);
  const C = view(backend, condition) as Uint8Array;
  // Branch-free bitwise select on the raw bits (exact for every value, NaN and -0 included).
  const simd = simdFor(backend);
  if (t.dtype === "bool") selectBytes(C, view(backend, t) as Uint8Array, view(backend, e) as Uint8Array, view(backend, out) as Uint8Array);
  else if (simd) simd.select32(ptr(backend, condition), ptr(backend, t), ptr(backend, e), ptr(backend, out), C.length);
  else selectWords(C, i32(backend, t), i32(backend, e), i32(backend, out));
  return out;
}

export const selectConfig: tf.KernelConfig = {
  kernelName: tf.Select,
  backendName: "wasm",
  kernelFunc: select as unknown as tf.KernelFunc,
};
