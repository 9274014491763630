/** Hidden tests of notebooks/01-value-function.ipynb (never released to students). */
import type { HiddenTests } from "../../lib/exercises/hidden";

const tests: HiddenTests = {
  "01-value-function/discriminator-value": [
    {
      name: "known probabilities, batches of different sizes and shapes",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const v = exports.discriminatorValue(tf.tensor2d([[0.7], [0.2], [0.95]]), tf.tensor2d([[0.1], [0.6]]));
        lib.check.shape(v, [], "discriminatorValue output");
        const expected = (Math.log(0.7) + Math.log(0.2) + Math.log(0.95)) / 3 + (Math.log(0.9) + Math.log(0.4)) / 2;
        lib.check.close(v, expected, { atol: 1e-5, message: "discriminatorValue on a [3, 1] and a [2, 1] batch" });
      },
    },
    {
      name: "equals minus lib's discriminator cross-entropy on random logits",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const rng = lib.createRng(11);
        const lr = tf.tensor2d(Array.from({ length: 16 }, () => 3 * rng.normal()), [16, 1]);
        const lf = tf.tensor2d(Array.from({ length: 8 }, () => 3 * rng.normal()), [8, 1]);
        const expected = tf.neg(lib.losses.minimaxLoss.discriminator(lr, lf));
        lib.check.close(exports.discriminatorValue(tf.sigmoid(lr), tf.sigmoid(lf)), expected, { atol: 1e-4, message: "V from probabilities vs -BCE from logits" });
      },
    },
  ],
  "01-value-function/optimal-discriminator": [
    {
      name: "closed-form values, including both densities zero",
      points: 1,
      run: ({ exports, lib }) => {
        lib.check.close(exports.optimalD(1, 3), 0.25, { message: "optimalD(1, 3)" });
        lib.check.close(exports.optimalD(2.5, 0), 1, { message: "optimalD(2.5, 0)" });
        lib.check.close(exports.optimalD(0, 0), 0.5, { message: "optimalD(0, 0)" });
        lib.check.close(exports.optimalD(1e-300, 1e-300), 0.5, { message: "optimalD of two tiny equal densities" });
      },
    },
    {
      name: "matches lib's D* for two mixtures on a grid",
      points: 1,
      run: ({ exports, lib }) => {
        const a = lib.data.mixture1d([-2, 1], [0.4, 0.8], [0.3, 0.7]);
        const b = lib.data.gaussian1d(0.3, 1.5);
        for (let x = -4; x <= 4; x += 0.5) {
          const pa = lib.data.mixturePdf(a, x);
          const pb = lib.data.mixturePdf(b, x);
          lib.check.close(exports.optimalD(pa, pb), lib.theory.optimalDiscriminator(pa, pb), { atol: 1e-12, message: `D* at x = ${x}` });
        }
      },
    },
  ],
  "01-value-function/discrete-jsd": [
    {
      name: "disjoint distributions give log 2, equal ones give 0",
      points: 1,
      run: ({ exports, lib }) => {
        lib.check.close(exports.jsd([0, 0.5, 0.5, 0], [0.5, 0, 0, 0.5]), Math.log(2), { atol: 1e-12, message: "disjoint supports" });
        lib.check.close(exports.jsd([0.25, 0.25, 0.5], [0.25, 0.25, 0.5]), 0, { atol: 1e-12, message: "equal distributions" });
      },
    },
    {
      name: "matches lib on distributions with zeros",
      points: 1,
      run: ({ exports, lib }) => {
        const p = [0.1, 0, 0.4, 0.3, 0.2];
        const q = [0, 0.25, 0.25, 0.25, 0.25];
        lib.check.close(exports.jsd(p, q), lib.theory.jsDivergence(p, q), { atol: 1e-12, message: "jsd with zeros in both" });
      },
    },
    {
      name: "symmetric and between 0 and log 2 on random distributions",
      points: 1,
      run: ({ exports, lib }) => {
        const rng = lib.createRng(5);
        for (let trial = 0; trial < 20; trial++) {
          const raw = (n: number) => Array.from({ length: n }, () => rng.uniform());
          const norm = (v: number[]) => v.map((x) => x / v.reduce((s, y) => s + y, 0));
          const p = norm(raw(6));
          const q = norm(raw(6));
          const a = exports.jsd(p, q);
          lib.check.close(a, exports.jsd(q, p), { atol: 1e-12, message: "jsd(p, q) = jsd(q, p)" });
          lib.check.close(a, lib.theory.jsDivergence(p, q), { atol: 1e-12, message: "jsd matches lib" });
          lib.check.ok(a >= 0 && a <= Math.log(2), `jsd must lie in [0, log 2], got ${a}`);
        }
      },
    },
  ],
};
export default tests;
