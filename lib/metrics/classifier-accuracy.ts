/**
 * Metrics that score generated images with a reference classifier's predicted labels:
 *  - conditionalAccuracy: does a conditional GAN draw the class it was asked for? (the
 *    classifier-accuracy evaluation of AC-GAN, Odena, Olah & Shlens 2017, §4.1);
 *  - labelPreservation: does an image-to-image translation keep the class (e.g. a digit stays a
 *    "3" after a CycleGAN-style mapping)?
 *  - bestMatchingAccuracy: how well do the k values of InfoGAN's categorical code (Chen et al.
 *    2016, §7.2: "c1 … can be used as a classifier that achieves 5% error rate") line up with
 *    the true classes? The code is unsupervised, so code i has no reason to mean digit i: we take
 *    the one-to-one code→class assignment that maximises the number of matches, found with the
 *    Hungarian algorithm (Kuhn 1955; Munkres 1957) in O(k³). A greedy assignment is not optimal.
 */
import * as tf from "@tensorflow/tfjs";
import { Labels, toLabels } from "./points";

export interface HungarianResult {
  /** assignment[row] = column matched to that row, or −1 if there were more rows than columns. */
  assignment: number[];
  /** Sum of the matched costs. */
  totalCost: number;
}

/**
 * Minimum-cost assignment for a (possibly rectangular) cost matrix [rows, cols]: every row gets a
 * distinct column when rows ≤ cols (else every column gets a distinct row). Shortest augmenting
 * paths with dual potentials, O(rows² · cols).
 */
export function hungarian(cost: number[][]): HungarianResult {
  const rows = cost.length;
  if (rows === 0) return { assignment: [], totalCost: 0 };
  const cols = cost[0].length;
  if (cost.some((r) => r.length !== cols)) throw new Error("hungarian: rows have different lengths");
  if (cost.some((r) => r.some((v) => !Number.isFinite(v)))) throw new Error("hungarian: costs must be finite");
  if (rows > cols) {
    // Solve the transpose, then invert the matching.
    const t = hungarian(Array.from({ length: cols }, (_, j) => cost.map((r) => r[j])));
    const assignment = new Array<number>(rows).fill(-1);
    t.assignment.forEach((i, j) => (assignment[i] = j));
    return { assignment, totalCost: t.totalCost };
  }
  // 1-indexed arrays; index 0 is a virtual column used to start each augmenting path.
  const n = rows;
  const m = cols;
  const u = new Array<number>(n + 1).fill(0); // row potentials
  const v = new Array<number>(m + 1).fill(0); // column potentials
  const p = new Array<number>(m + 1).fill(0); // p[j] = row matched to column j (0 = none)
  const way = new Array<number>(m + 1).fill(0); // previous column on the augmenting path
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Array<number>(m + 1).fill(Infinity);
    const used = new Array<boolean>(m + 1).fill(false);
    do {
      used[j0] = true;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    // Flip the augmenting path.
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const assignment = new Array<number>(n).fill(-1);
  for (let j = 1; j <= m; j++) if (p[j] !== 0) assignment[p[j] - 1] = j - 1;
  const totalCost = assignment.reduce((s, j, i) => s + cost[i][j], 0);
  return { assignment, totalCost };
}

function pairedLabels(a: Labels, b: Labels, what: string, names: [string, string]): [number[], number[]] {
  const x = toLabels(a, `${what}(${names[0]})`);
  const y = toLabels(b, `${what}(${names[1]})`);
  if (x.length !== y.length) throw new Error(`${what}: ${names[0]} has ${x.length} labels, ${names[1]} ${y.length}`);
  if (x.length === 0) throw new Error(`${what}: no labels`);
  return [x, y];
}

/** Fraction of generated samples the classifier assigns to the class they were generated for. */
export function conditionalAccuracy(predictedLabels: Labels, intendedLabels: Labels): number {
  const [pred, want] = pairedLabels(predictedLabels, intendedLabels, "conditionalAccuracy", ["predicted", "intended"]);
  return pred.filter((y, i) => y === want[i]).length / pred.length;
}

/** Fraction of images whose predicted class is unchanged by a transformation (before vs after). */
export function labelPreservation(labelsBefore: Labels, labelsAfter: Labels): number {
  const [before, after] = pairedLabels(labelsBefore, labelsAfter, "labelPreservation", ["before", "after"]);
  return before.filter((y, i) => y === after[i]).length / before.length;
}

/** Largest element (no spread: label arrays can exceed the argument limit). */
function maxOf(xs: number[]): number {
  return xs.reduce((m, v) => (v > m ? v : m), -Infinity);
}

/** counts[a][b] = number of samples with rowLabels = a and colLabels = b. */
export function confusionMatrix(rowLabels: Labels, colLabels: Labels, nRows?: number, nCols?: number): number[][] {
  const [r, c] = pairedLabels(rowLabels, colLabels, "confusionMatrix", ["rowLabels", "colLabels"]);
  const R = nRows ?? maxOf(r) + 1;
  const C = nCols ?? maxOf(c) + 1;
  const counts = Array.from({ length: R }, () => new Array<number>(C).fill(0));
  r.forEach((a, i) => {
    if (a >= R || c[i] >= C) throw new Error(`confusionMatrix: label out of range (${a}, ${c[i]}) for ${R}×${C}`);
    counts[a][c[i]]++;
  });
  return counts;
}

export interface BestMatchingResult {
  /** Fraction of samples whose code maps to their true class under the best one-to-one mapping. */
  accuracy: number;
  /** mapping[code] = class assigned to that code, or −1 if the code got none (k > classes). */
  mapping: number[];
  /** contingency[code][class] = number of samples with that code and true class. */
  contingency: number[][];
}

/**
 * Accuracy of categorical codes (values 0..k−1) as a classifier of the true labels, under the best
 * one-to-one code→class matching (Hungarian algorithm on the contingency table).
 */
export function bestMatchingAccuracy(codes: Labels, trueLabels: Labels, k: number, nClasses?: number): BestMatchingResult {
  const [c, y] = pairedLabels(codes, trueLabels, "bestMatchingAccuracy", ["codes", "trueLabels"]);
  const classes = nClasses ?? maxOf(y) + 1;
  if (c.some((v) => v >= k)) throw new Error(`bestMatchingAccuracy: a code is ≥ k = ${k}`);
  const contingency = confusionMatrix(c, y, k, classes);
  const { assignment } = hungarian(contingency.map((row) => row.map((count) => -count))); // maximise matches
  const matched = assignment.reduce((s, cls, code) => (cls >= 0 ? s + contingency[code][cls] : s), 0);
  return { accuracy: matched / c.length, mapping: assignment, contingency };
}

/** Predicted class per row of probabilities or logits [n, K] (argmax). */
export function argmaxLabels(scores: tf.Tensor2D): number[] {
  const idx = tf.argMax(scores, 1);
  const out = Array.from(idx.dataSync());
  idx.dispose();
  return out;
}
