/** Hidden tests of notebooks/11-autoencoders-vae.ipynb (never released to students). */
import type { HiddenTests } from "../../lib/exercises/hidden";

const tests: HiddenTests = {
  "11-autoencoders-vae/reparameterize": [
    {
      name: "z = μ + exp(½ log σ²)·ε on a batch",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const mean = tf.tensor2d([[0, 1, -1], [2, 0.5, 0]]);
        const logVar = tf.tensor2d([[0, Math.log(4), -2], [Math.log(0.25), 1, 0]]);
        const eps = tf.tensor2d([[1, -0.5, 2], [3, 0, -1]]);
        const expected = [0 + 1, 1 + 2 * -0.5, -1 + Math.exp(-1) * 2, 2 + 0.5 * 3, 0.5, -1];
        const z = exports.reparameterize(mean, logVar, eps);
        lib.check.shape(z, [2, 3], "z");
        lib.check.close(z, expected, { atol: 1e-5, message: "reparameterize on a [2, 3] batch" });
      },
    },
    {
      name: "gradients reach μ and log σ² (∂z/∂μ = 1, ∂z/∂logVar = ½σε)",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const eps = tf.tensor1d([0.7, -1.3, 0]);
        const [gMean, gLogVar] = tf.grads((m: any, lv: any) => tf.sum(exports.reparameterize(m, lv, eps)))([tf.tensor1d([0.2, 0.4, -3]), tf.tensor1d([0.6, -0.8, 1])]);
        lib.check.close(gMean, [1, 1, 1], { atol: 1e-5, message: "∂z/∂μ" });
        lib.check.close(gLogVar, [0.5 * Math.exp(0.3) * 0.7, 0.5 * Math.exp(-0.4) * -1.3, 0], { atol: 1e-5, message: "∂z/∂logVar" });
      },
    },
  ],
  "11-autoencoders-vae/gaussian-kl": [
    {
      name: "closed-form KL of each row, shape [batch]",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const mean = tf.tensor2d([[0, 0], [1, -1], [0.5, 2]]);
        const logVar = tf.tensor2d([[0, 0], [0, 0], [Math.log(2), -1]]);
        const kl = (m: number[], lv: number[]) => 0.5 * m.reduce((s, mk, k) => s + mk * mk + Math.exp(lv[k]) - 1 - lv[k], 0);
        const expected = [kl([0, 0], [0, 0]), kl([1, -1], [0, 0]), kl([0.5, 2], [Math.log(2), -1])];
        const out = exports.gaussianKl(mean, logVar);
        lib.check.shape(out, [3], "gaussianKl output");
        lib.check.close(out, expected, { atol: 1e-5, message: "gaussianKl" });
      },
    },
    {
      name: "agrees with the library's KL on random inputs and is never negative",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const mean = tf.tensor2d(Array.from({ length: 40 }, (_, i) => Math.sin(i * 1.7) * 2), [8, 5]) as any;
        const logVar = tf.tensor2d(Array.from({ length: 40 }, (_, i) => Math.cos(i * 0.9) * 1.5), [8, 5]) as any;
        const out = exports.gaussianKl(mean, logVar);
        lib.check.close(out, lib.models.gaussianKl(mean, logVar), { atol: 1e-4, rtol: 1e-4, message: "gaussianKl vs the closed form" });
        lib.check.ok(Math.min(...Array.from(out.dataSync() as Float32Array)) >= 0, "a KL divergence is never negative");
      },
    },
  ],
};
export default tests;
