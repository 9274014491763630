/**
 * Input helpers shared by the metrics: every metric accepts a set of points either as plain rows
 * (`number[][]`, one row per sample) or as a `tf.Tensor2D` of shape [n, d]. Tensors passed in are
 * never disposed by the metrics (the caller owns them).
 */
import * as tf from "@tensorflow/tfjs";

/** A set of n points in d dimensions: rows `number[][]` or a tensor [n, d]. */
export type Points = number[][] | tf.Tensor2D;

/** Labels: a plain/typed array of integers, or a 1-D tensor of integers. */
export type Labels = ArrayLike<number> | tf.Tensor1D;

/** Points as float64 rows (copies tensor data out; validates shape and finiteness). */
export function toRows(points: Points, what = "points"): number[][] {
  let rows: number[][];
  if (points instanceof tf.Tensor) {
    if (points.rank !== 2) throw new Error(`${what}: expected a 2-D tensor [n, d], got shape [${points.shape}]`);
    rows = points.arraySync() as number[][];
  } else {
    rows = points;
  }
  if (rows.length === 0) throw new Error(`${what}: empty set of points`);
  const d = rows[0].length;
  for (const r of rows) {
    if (r.length !== d) throw new Error(`${what}: rows have different lengths (${d} and ${r.length})`);
    for (const v of r) if (!Number.isFinite(v)) throw new Error(`${what}: contains a non-finite value (${v})`);
  }
  return rows;
}

/**
 * Run `fn` on the points as a float32 tensor [n, d]. A tensor is used as is; rows are converted
 * to a temporary tensor that is disposed afterwards.
 */
export function withTensor<T>(points: Points, what: string, fn: (t: tf.Tensor2D) => T): T {
  if (points instanceof tf.Tensor) {
    if (points.rank !== 2) throw new Error(`${what}: expected a 2-D tensor [n, d], got shape [${points.shape}]`);
    return fn(points);
  }
  const rows = toRows(points, what);
  const t = tf.tensor2d(rows, [rows.length, rows[0].length], "float32");
  try {
    return fn(t);
  } finally {
    t.dispose();
  }
}

/** Number of rows and columns of a set of points, without copying tensor data. */
export function shapeOf(points: Points): [number, number] {
  if (points instanceof tf.Tensor) return [points.shape[0], points.shape[1]];
  return [points.length, points.length ? points[0].length : 0];
}

/** Labels as an integer array (copies tensor data out; checks they are non-negative integers). */
export function toLabels(labels: Labels, what = "labels"): number[] {
  const arr = labels instanceof tf.Tensor ? Array.from(labels.dataSync()) : Array.from(labels);
  for (const v of arr) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`${what}: labels must be non-negative integers, got ${v}`);
  }
  return arr;
}
