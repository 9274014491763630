/**
 * Two digit domains with a known relation, for the image-to-image translation lesson.
 *
 *   A: MNIST digits as they are;
 *   B: the same kind of digits with thicker strokes: the morphological dilation of A by a 3×3
 *      cross (a pixel becomes ink if it or one of its 4 neighbours is ink; ink is +1, paper −1).
 *      A 3×3 square (a max-pool at stride 1) thickens more; the reference classifier, trained on
 *      regular digits, reads cross-thickened digits at ~96% and square-thickened ones at ~92%,
 *      so the cross keeps label preservation measurable. ("outline" is offered too: the ring of
 *      pixels the dilation adds, dilate(x) minus x; and "lowres": 4× lower resolution, whose
 *      inverse, super-resolution, is ambiguous.)
 *
 * Because the relation T: A → B is known, a translation can be *measured*, not just looked at:
 * for a held-out digit x, the right answer in B is T(x), and a translator B → A should give back x.
 * pix2pix trains on pairs (x, T(x)); CycleGAN gets the two domains *unpaired*: A is drawn from one
 * half of the training digits and B from the thickened other half, so no training image of A has
 * its counterpart in B. The test split is paired, and keeps its labels, so the reference classifier
 * can check that a translation keeps the digit.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, createRng } from "../random";
import { MnistData } from "./mnist";

export type DomainRelation = "thick" | "outline" | "lowres";
/** Structuring element of the dilation: the 3×3 cross (a pixel and its 4 neighbours) or the 3×3 square. */
export type DilationElement = "cross" | "square";

/** Dilation of the ink of images [N, h, w, 1] in [−1, 1] (paper −1, ink +1) by a 3×3 cross or square. */
export function thicken(images: tf.Tensor4D, element: DilationElement = "cross"): tf.Tensor4D {
  if (element === "square") return tf.tidy(() => tf.maxPool(images, 3, 1, "same"));
  if (element !== "cross") throw new Error(`thicken: element must be "cross" or "square", got "${element}"`);
  return tf.tidy(() => {
    const [, h, w] = images.shape;
    const padded = tf.pad(images, [[0, 0], [1, 1], [1, 1], [0, 0]], -1); // [N, h+2, w+2, 1]
    const shifted = (dy: number, dx: number) => tf.slice(padded, [0, 1 + dy, 1 + dx, 0], [-1, h, w, -1]);
    return [shifted(-1, 0), shifted(1, 0), shifted(0, -1), shifted(0, 1)].reduce((m, s) => tf.maximum(m, s), images) as tf.Tensor4D;
  });
}

/** The outline of the strokes: pixels the dilation adds (ink in dilate(x) and not in x), in [−1, 1]. */
export function outline(images: tf.Tensor4D, element: DilationElement = "cross"): tf.Tensor4D {
  return tf.tidy(() => {
    const ink = tf.div(tf.add(images, 1), 2); // [0, 1]
    const grown = tf.div(tf.add(thicken(images, element), 1), 2);
    return tf.sub(tf.mul(tf.relu(tf.sub(grown, ink)), 2), 1) as tf.Tensor4D;
  });
}

/**
 * A low-resolution copy at the same size: the mean of every `factor`×`factor` block, repeated over
 * the block (28×28 → 7×7 of information for factor 4). Undoing it is super-resolution, where the
 * right answer is uncertain: many digits share one blocky image.
 */
export function lowResolution(images: tf.Tensor4D, factor = 4): tf.Tensor4D {
  const [, h, w] = images.shape;
  if (!(Number.isInteger(factor) && factor >= 1 && h % factor === 0 && w % factor === 0)) {
    throw new Error(`lowResolution: factor must be a positive integer dividing ${h}×${w}, got ${factor}`);
  }
  return tf.tidy(() => {
    const small = tf.avgPool(images, factor, factor, "valid"); // [N, h/factor, w/factor, 1]
    return tf.image.resizeNearestNeighbor(small, [h, w]) as tf.Tensor4D; // [N, h, w, 1], constant on every block
  });
}

/** The known translation A → B for a relation ("lowres": 4× lower resolution). */
export function relate(images: tf.Tensor4D, relation: DomainRelation = "thick", element: DilationElement = "cross"): tf.Tensor4D {
  if (relation === "thick") return thicken(images, element);
  if (relation === "outline") return outline(images, element);
  if (relation === "lowres") return lowResolution(images, 4);
  throw new Error(`relate: unknown relation "${relation}" (use "thick", "outline" or "lowres")`);
}

export interface DigitDomains {
  relation: DomainRelation;
  /** Paired training data for pix2pix: every training digit (A) and its translation (B). */
  paired: { a: tf.Tensor4D; b: tf.Tensor4D; labels: tf.Tensor1D };
  /** Unpaired training data for CycleGAN: A from one half of the digits, B from the other. */
  unpaired: { a: tf.Tensor4D; b: tf.Tensor4D; labelsA: tf.Tensor1D; labelsB: tf.Tensor1D };
  /** Held-out pairs with their labels: testB = T(testA). */
  test: { a: tf.Tensor4D; b: tf.Tensor4D; labels: tf.Tensor1D };
}

/**
 * Build the domains from MNIST (the caller keeps `mnist`; dispose the result with
 * `disposeDigitDomains`). The unpaired halves come from a seeded permutation.
 */
export function digitDomains(mnist: MnistData, options: { relation?: DomainRelation; element?: DilationElement; seed?: number } = {}): DigitDomains {
  const relation = options.relation ?? "thick";
  const element = options.element ?? "cross";
  const { images, labels } = mnist.train;
  const n = images.shape[0];
  const order = createRng(`domains-${options.seed ?? 0}`).shuffle([...Array(n).keys()]);
  const half = Math.floor(n / 2);
  const take = (idx: number[]) => tf.tidy(() => {
    const i = tf.tensor1d(idx, "int32");
    return { x: tf.gather(images, i) as tf.Tensor4D, y: tf.gather(labels, i) as tf.Tensor1D };
  });
  const first = take(order.slice(0, half));
  const second = take(order.slice(half, 2 * half));
  const unpairedB = relate(second.x, relation, element);
  second.x.dispose();
  return {
    relation,
    paired: { a: images.clone() as tf.Tensor4D, b: relate(images, relation, element), labels: labels.clone() },
    unpaired: { a: first.x, b: unpairedB, labelsA: first.y, labelsB: second.y },
    test: { a: mnist.test.images.clone() as tf.Tensor4D, b: relate(mnist.test.images, relation, element), labels: mnist.test.labels.clone() },
  };
}

export function disposeDigitDomains(d: DigitDomains): void {
  tf.dispose([d.paired.a, d.paired.b, d.paired.labels, d.unpaired.a, d.unpaired.b, d.unpaired.labelsA, d.unpaired.labelsB, d.test.a, d.test.b, d.test.labels]);
}

/**
 * Paired batches for pix2pix: `source` from one domain and `x` (the target the discriminator
 * sees as real) the same rows of the other. The tensors belong to the caller.
 */
export function pairedSampler(source: tf.Tensor4D, target: tf.Tensor4D, rng: Rng = createRng()): (batchSize: number) => { x: tf.Tensor4D; source: tf.Tensor4D } {
  const n = source.shape[0];
  if (target.shape[0] !== n) throw new Error(`pairedSampler: ${n} sources but ${target.shape[0]} targets`);
  let order: number[] = [];
  let pos = n;
  return (batchSize) => {
    if (batchSize > n) throw new Error(`pairedSampler: batch of ${batchSize} from only ${n} pairs`);
    if (pos + batchSize > n) {
      order = rng.shuffle([...Array(n).keys()]);
      pos = 0;
    }
    const idx = tf.tensor1d(order.slice(pos, pos + batchSize), "int32");
    pos += batchSize;
    const out = { x: tf.gather(target, idx) as tf.Tensor4D, source: tf.gather(source, idx) as tf.Tensor4D };
    idx.dispose();
    return out;
  };
}

/** Independent random rows of A and of B (no pairing): { a, b }. The tensors belong to the caller. */
export function unpairedSampler(a: tf.Tensor4D, b: tf.Tensor4D, rng: Rng = createRng()): (batchSize: number) => { a: tf.Tensor4D; b: tf.Tensor4D } {
  const draw = (n: number, k: number) => Array.from({ length: k }, () => rng.int(n));
  return (batchSize) => {
    const ia = tf.tensor1d(draw(a.shape[0], batchSize), "int32");
    const ib = tf.tensor1d(draw(b.shape[0], batchSize), "int32");
    const out = { a: tf.gather(a, ia) as tf.Tensor4D, b: tf.gather(b, ib) as tf.Tensor4D };
    tf.dispose([ia, ib]);
    return out;
  };
}
