/** Hidden tests of notebooks/10-sagan.ipynb (never released to students). */
import type { HiddenTests } from "../../lib/exercises/hidden";

const grid = (tf: any, shape: number[], seed: number) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Array.from({ length: n }, (_, i) => Math.sin(seed * 13.1 + i * 2.3) * 1.5), shape);
};

const tests: HiddenTests = {
  "10-sagan/attention-map": [
    {
      name: "β = softmax over keys of g·fᵀ, shape [batch, N, N]",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const f = grid(tf, [2, 6, 3], 1), g = grid(tf, [2, 6, 3], 2);
        const beta = exports.attentionMap(f, g);
        lib.check.shape(beta, [2, 6, 6], "attention map");
        lib.check.close(beta, lib.layers.attentionFromKeysQueries(f, g), { atol: 1e-5, message: "attention map" });
      },
    },
    {
      name: "rows sum to 1; a query orthogonal to all keys attends uniformly",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const f = tf.tensor3d([[[1, 0], [0, 1], [1, 1], [2, -1]]]);
        const g = tf.tensor3d([[[0, 0], [5, 0], [0, 5], [1, 1]]]);
        const beta = exports.attentionMap(f, g);
        lib.check.close(tf.sum(beta, -1), [1, 1, 1, 1], { atol: 1e-5, message: "row sums" });
        lib.check.close(beta.slice([0, 0, 0], [1, 1, 4]), [0.25, 0.25, 0.25, 0.25], { atol: 1e-5, message: "row of the zero query" });
        // Query (5, 0) scores the keys 5, 0, 5, 10: the last key gets e¹⁰/(2e⁵ + 1 + e¹⁰) ≈ 0.987.
        const row = Array.from(beta.slice([0, 1, 0], [1, 1, 4]).dataSync() as Float32Array);
        lib.check.ok(row[3] > 0.98, `query (5, 0) should attend almost only to key (2, −1), got ${row.map((v) => v.toFixed(3))}`);
      },
    },
  ],
  "10-sagan/power-iteration": [
    {
      name: "one step: v = Wᵀu/‖Wᵀu‖, u' = Wv/‖Wv‖, on a rectangular W",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const w = tf.tensor2d([[2, 0, 1], [1, 3, -1]]); // [dOut 2, dIn 3]
        // By hand from u = [0.6, 0.8]: Wᵀu = [2.0, 2.4, −0.2].
        const wtu = [2.0, 2.4, -0.2], n1 = Math.hypot(...wtu), v = wtu.map((x) => x / n1);
        const wv = [2 * v[0] + v[2], v[0] + 3 * v[1] - v[2]], n2 = Math.hypot(...wv);
        const u1 = exports.powerIterationStep(w, tf.tensor1d([0.6, 0.8]));
        lib.check.shape(u1, [2], "u after one step");
        lib.check.close(u1, wv.map((x) => x / n2), { atol: 1e-5, message: "u after one step" });
      },
    },
    {
      name: "σ = uᵀWv; repeated steps converge to the largest singular value (SVD)",
      points: 1,
      run: ({ exports, tf, lib }) => {
        lib.check.close(exports.sigmaEstimate(tf.tensor2d([[2, 0, 1], [1, 3, -1]]), tf.tensor1d([0.6, 0.8])), Math.hypot(2.0, 2.4, -0.2), { atol: 1e-4, message: "σ for the unit u = [0.6, 0.8]" });
        const w = grid(tf, [5, 7], 3);
        let u = tf.ones([5]);
        for (let i = 0; i < 100; i++) u = exports.powerIterationStep(w, u);
        lib.check.close(exports.sigmaEstimate(w, u), lib.layers.exactSpectralNorm(tf.transpose(w)), { atol: 1e-3, rtol: 1e-3, message: "σ after 100 steps vs the SVD" });
      },
    },
  ],
  "10-sagan/hinge-loss": [
    {
      name: "hingeLossD = mean relu(1 − D(x)) + mean relu(1 + D(G(z)))",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const dReal = tf.tensor2d([[2], [0.5], [-1], [1]]), dFake = tf.tensor2d([[-2], [0], [0.5], [-0.9]]);
        const expected = (0 + 0.5 + 2 + 0) / 4 + (0 + 1 + 1.5 + 0.1) / 4;
        lib.check.close(exports.hingeLossD(dReal, dFake), expected, { atol: 1e-5, message: "hingeLossD" });
        lib.check.close(exports.hingeLossD(tf.fill([3, 1], 5), tf.fill([3, 1], -5)), 0, { atol: 1e-6, message: "hingeLossD when D is confidently right" });
      },
    },
    {
      name: "hingeLossG = −mean D(G(z)), matching lib's hinge loss",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const dFake = grid(tf, [6, 1], 4), dReal = grid(tf, [6, 1], 5);
        lib.check.close(exports.hingeLossG(dFake), lib.losses.hingeLoss.generator(dFake), { atol: 1e-5, message: "hingeLossG" });
        lib.check.close(exports.hingeLossD(dReal, dFake), lib.losses.hingeLoss.discriminator(dReal, dFake), { atol: 1e-5, message: "hingeLossD vs lib" });
      },
    },
  ],
};
export default tests;
