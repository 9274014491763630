/**
 * Visible checks for exercises: the cell after each exercise calls these. A failed check throws
 * an Error whose message says what was expected and what came back, so the learner sees it in the
 * notebook and the autograder can show it as feedback.
 */
import * as tf from "@tensorflow/tfjs";

export class CheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckError";
  }
}

type Numeric = number | number[] | number[][] | Float32Array | Int32Array | tf.Tensor;

function flatten(v: Numeric): { values: number[]; shape: number[] } {
  if (v instanceof tf.Tensor) return { values: Array.from(v.dataSync()), shape: v.shape };
  if (typeof v === "number") return { values: [v], shape: [] };
  if (ArrayBuffer.isView(v)) return { values: Array.from(v as Float32Array), shape: [(v as Float32Array).length] };
  if (Array.isArray(v) && Array.isArray(v[0])) {
    const rows = v as number[][];
    return { values: rows.flat(), shape: [rows.length, rows[0].length] };
  }
  return { values: [...(v as number[])], shape: [(v as number[]).length] };
}

const fmt = (xs: number[]) => (xs.length === 1 ? String(xs[0]) : `[${xs.slice(0, 6).map((x) => +x.toPrecision(6)).join(", ")}${xs.length > 6 ? ", …" : ""}]`);

export interface CloseOptions {
  atol?: number; // 1e-6
  rtol?: number; // 1e-4
  /** What is being checked, e.g. "D* at x = 0". */
  message?: string;
}

/** Values (numbers, arrays or tensors) equal within |a − e| ≤ atol + rtol·|e|, same shape. */
export function close(actual: Numeric, expected: Numeric, options: CloseOptions = {}): void {
  const what = options.message ? `${options.message}: ` : "";
  if (actual === undefined || actual === null) throw new CheckError(`${what}got ${actual}; did the function return a value?`);
  const a = flatten(actual);
  const e = flatten(expected);
  if (a.values.length !== e.values.length) throw new CheckError(`${what}expected ${e.values.length} value(s) of shape [${e.shape}], got ${a.values.length} of shape [${a.shape}]`);
  if (a.shape.length && e.shape.length && a.shape.join() !== e.shape.join() && !(actual instanceof tf.Tensor && !(expected instanceof tf.Tensor))) {
    throw new CheckError(`${what}expected shape [${e.shape}], got [${a.shape}]`);
  }
  const atol = options.atol ?? 1e-6;
  const rtol = options.rtol ?? 1e-4;
  for (let i = 0; i < a.values.length; i++) {
    const ok = Math.abs(a.values[i] - e.values[i]) <= atol + rtol * Math.abs(e.values[i]);
    if (!ok || Number.isNaN(a.values[i])) {
      throw new CheckError(`${what}expected ${fmt(e.values)}, got ${fmt(a.values)} (first mismatch at index ${i}: ${a.values[i]} vs ${e.values[i]})`);
    }
  }
}

/** A tensor's shape. */
export function shape(t: tf.Tensor, expected: number[], message?: string): void {
  if (!(t instanceof tf.Tensor)) throw new CheckError(`${message ? message + ": " : ""}expected a tensor of shape [${expected}], got ${typeof t}`);
  if (t.shape.join() !== expected.join()) throw new CheckError(`${message ? message + ": " : ""}expected shape [${expected}], got [${t.shape}]`);
}

/** A condition with its explanation. */
export function ok(condition: boolean, message: string): void {
  if (!condition) throw new CheckError(message);
}

/** Passing line the visible-check cell prints at the end. */
export function passed(id: string): void {
  console.log(`✓ ${id}: all visible checks pass`);
}
