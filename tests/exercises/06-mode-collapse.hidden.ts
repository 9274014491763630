/** Hidden tests of notebooks/06-mode-collapse.ipynb (never released to students). */
import type { HiddenTests } from "../../lib/exercises/hidden";

const tests: HiddenTests = {
  "06-mode-collapse/minibatch-features": [
    {
      name: "matches Salimans et al.'s o(x) on random features (shape [n, B])",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const f = tf.randomNormal([9, 7], 0, 1, "float32", 11) as any;
        const T = tf.randomNormal([7, 5, 2], 0, 0.3, "float32", 12) as any;
        const out = exports.minibatchFeatures(f, T);
        lib.check.shape(out, [9, 5], "minibatchFeatures(f [9, 7], T [7, 5, 2])");
        lib.check.close(out, lib.layers.minibatchDiscriminationFeatures(f, T), { atol: 1e-4, message: "o(x) on random features" });
      },
    },
    {
      name: "a batch of n copies gives o = n; far-apart samples give o = 1 (the self term)",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const T = tf.ones([3, 2, 4]) as any;
        const copies = tf.tile(tf.tensor2d([[0.5, -1, 2]]), [5, 1]);
        lib.check.close(exports.minibatchFeatures(copies, T), tf.fill([5, 2], 5), { atol: 1e-4, message: "5 copies" });
        const far = tf.tensor2d([[0, 0, 0], [100, 0, 0], [200, 0, 0]]);
        lib.check.close(exports.minibatchFeatures(far, T), tf.ones([3, 2]), { atol: 1e-4, message: "3 far-apart samples" });
      },
    },
    {
      name: "works for a batch of one and for C = 1",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const f = tf.tensor2d([[1, 2]]);
        const T = tf.tensor3d([[[1], [2]], [[3], [4]]]); // [2, 2, 1]
        lib.check.close(exports.minibatchFeatures(f, T), [[1, 1]], { atol: 1e-5, message: "one sample: only the self term" });
        const f2 = tf.tensor2d([[1, 0], [0, 1]]);
        // M_0 = T[0] = [1, 2], M_1 = T[1] = [3, 4]: per kernel, |1 − 3| = 2 and |2 − 4| = 2
        lib.check.close(exports.minibatchFeatures(f2, T), [[1 + Math.exp(-2), 1 + Math.exp(-2)], [1 + Math.exp(-2), 1 + Math.exp(-2)]], { atol: 1e-5, message: "two samples, C = 1" });
      },
    },
  ],
  "06-mode-collapse/pack-samples": [
    {
      name: "packs consecutive samples, row k = samples km … km+m−1",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const x = tf.tensor2d([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11]]);
        lib.check.close(exports.packSamples(x, 4), [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]], { message: "m = 4" });
        lib.check.close(exports.packSamples(x, 1), x, { message: "m = 1 leaves the batch as is" });
        const y = tf.randomNormal([12, 2], 0, 1, "float32", 5);
        lib.check.close(exports.packSamples(y, 3), lib.models.pack(y, 3), { message: "agrees with models.pack" });
      },
    },
    {
      name: "throws when n is not a multiple of m (and only then)",
      points: 1,
      run: ({ exports, tf, lib }) => {
        lib.check.shape(exports.packSamples(tf.zeros([6, 2]), 2), [3, 4], "packSamples(x [6, 2], 2)");
        let threw = false;
        try {
          exports.packSamples(tf.zeros([5, 2]), 2);
        } catch {
          threw = true;
        }
        lib.check.ok(threw, "packSamples(x [5, 2], 2) should throw");
      },
    },
  ],
};
export default tests;
