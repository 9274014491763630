/** Hidden tests of notebooks/07-latent-space.ipynb (never released to students). */
import type { HiddenTests } from "../../lib/exercises/hidden";

/** Deterministic, irregular rows [n][d]. */
const rows = (n: number, d: number, seed: number): number[][] =>
  Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => Math.sin(seed * 7.3 + i * 3.1 + j * 1.7) * (1 + ((i + seed) % 3))));

/** Reference slerp of two vectors, in plain numbers. */
function slerpRow(a: number[], b: number[], t: number): number[] {
  const dot = a.reduce((s, v, i) => s + v * b[i], 0);
  const na = Math.hypot(...a), nb = Math.hypot(...b);
  const omega = Math.acos(Math.min(1, Math.max(-1, dot / (na * nb))));
  const wa = Math.sin((1 - t) * omega) / Math.sin(omega), wb = Math.sin(t * omega) / Math.sin(omega);
  return a.map((v, i) => wa * v + wb * b[i]);
}

const tests: HiddenTests = {
  "07-latent-space/slerp": [
    {
      name: "shape [n, d] and the endpoints t = 0 and t = 1, on rows of different norms",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const a = tf.tensor2d(rows(5, 7, 1)), b = tf.tensor2d(rows(5, 7, 2));
        lib.check.shape(exports.slerp(a, b, 0.4), [5, 7], "slerp of [5, 7] batches");
        lib.check.close(exports.slerp(a, b, 0), a, { atol: 1e-4, message: "t = 0" });
        lib.check.close(exports.slerp(a, b, 1), b, { atol: 1e-4, message: "t = 1" });
      },
    },
    {
      name: "every row is the slerp of its own pair (Ω per row), at t = 0.3 and t = 0.75",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const a = rows(6, 5, 3), b = rows(6, 5, 4);
        for (const t of [0.3, 0.75]) {
          const expected = a.map((r, i) => slerpRow(r, b[i], t));
          lib.check.close(exports.slerp(tf.tensor2d(a), tf.tensor2d(b), t), expected, { atol: 1e-4, rtol: 1e-3, message: `slerp at t = ${t}` });
        }
      },
    },
    {
      name: "on equal norms the path stays on the sphere and the angle to a grows as t·Ω, even near-opposite rows",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const theta = 2.9; // about 166° between a and b
        const a = tf.tensor2d([[3, 0, 0], [0, 0, 2]]);
        const b = tf.tensor2d([[3 * Math.cos(theta), 3 * Math.sin(theta), 0], [0, 2 * Math.sin(1.2), 2 * Math.cos(1.2)]]);
        for (const t of [0.2, 0.5, 0.9]) {
          const z = exports.slerp(a, b, t);
          lib.check.close(tf.norm(z, "euclidean", 1), [3, 2], { atol: 1e-4, message: `norms at t = ${t}` });
          const cosToA = tf.div(tf.sum(tf.mul(z, a), 1), tf.mul(tf.norm(z, "euclidean", 1), tf.norm(a, "euclidean", 1)));
          lib.check.close(cosToA, [Math.cos(t * theta), Math.cos(t * 1.2)], { atol: 1e-4, message: `angle to a at t = ${t}` });
        }
      },
    },
  ],
  "07-latent-space/concept-vector": [
    {
      name: "mean of the first group minus mean of the second, groups of different sizes, shape [d]",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const zWith = rows(4, 6, 5), zWithout = rows(7, 6, 6);
        const mean = (r: number[][]) => r[0].map((_, j) => r.reduce((s, row) => s + row[j], 0) / r.length);
        const expected = mean(zWith).map((v, j) => v - mean(zWithout)[j]);
        const v = exports.conceptVector(tf.tensor2d(zWith), tf.tensor2d(zWithout));
        lib.check.shape(v, [6], "concept vector");
        lib.check.close(v, expected, { atol: 1e-5, message: "concept vector" });
      },
    },
    {
      name: "one row each gives their difference; a shift shared by both groups cancels",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const a = tf.tensor2d([[1.5, -2, 0.25]]), b = tf.tensor2d([[0.5, 1, -0.75]]);
        lib.check.close(exports.conceptVector(a, b), [1, -3, 1], { atol: 1e-5, message: "single rows" });
        const zWith = tf.tensor2d(rows(3, 4, 7)), zWithout = tf.tensor2d(rows(5, 4, 8));
        const shift = tf.tensor1d([10, -4, 2, 0.5]);
        lib.check.close(exports.conceptVector(tf.add(zWith, shift), tf.add(zWithout, shift)), exports.conceptVector(zWith, zWithout), { atol: 1e-4, message: "a common shift cancels" });
      },
    },
  ],
};
export default tests;
