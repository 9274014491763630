/** Hidden tests of notebooks/02-vanishing-gradients.ipynb (never released to students). */
import type { HiddenTests } from "../../lib/exercises/hidden";

const tests: HiddenTests = {
  "02-vanishing-gradients/non-saturating-loss": [
    {
      name: "agrees with lib's non-saturating generator loss on random logits",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const rng = lib.createRng(3);
        const logits = tf.tensor2d(Array.from({ length: 32 }, () => 4 * rng.normal()), [32, 1]);
        lib.check.close(exports.nonSaturatingGeneratorLoss(logits), lib.losses.nonSaturatingLoss.generator(logits), { atol: 1e-5, message: "loss on 32 logits" });
      },
    },
    {
      name: "numerically stable for confidently rejected fakes",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const v = exports.nonSaturatingGeneratorLoss(tf.tensor1d([-1000, -200])).dataSync()[0];
        lib.check.ok(Number.isFinite(v), `the loss must stay finite for logits -1000 and -200, got ${v}`);
        lib.check.close(v, 600, { rtol: 1e-4, message: "mean of softplus(1000) and softplus(200)" });
      },
    },
    {
      name: "returns a scalar for any input shape",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const out = exports.nonSaturatingGeneratorLoss(tf.zeros([2, 3, 1]));
        lib.check.shape(out, [], "loss of a [2, 3, 1] patch of logits");
        lib.check.close(out, Math.log(2), { atol: 1e-6, message: "all logits 0" });
      },
    },
  ],
  "02-vanishing-gradients/gradient-magnitudes": [
    {
      name: "closed forms D and 1 - D",
      points: 1,
      run: ({ exports, lib }) => {
        for (const d of [1e-5, 0.05, 0.3, 0.75, 0.999]) {
          const g = exports.gradMagnitudes(d);
          lib.check.close(g.saturating, d, { atol: 1e-12, message: `saturating at ${d}` });
          lib.check.close(g.nonSaturating, 1 - d, { atol: 1e-12, message: `non-saturating at ${d}` });
        }
      },
    },
    {
      name: "matches automatic differentiation of lib's losses",
      points: 1,
      run: ({ exports, lib }) => {
        for (const d of [0.02, 0.5, 0.9]) {
          const l = lib.theory.logit(d);
          const [sat] = lib.theory.generatorLogitGradients(lib.losses.minimaxLoss, [l]);
          const [ns] = lib.theory.generatorLogitGradients(lib.losses.nonSaturatingLoss, [l]);
          lib.check.close(exports.gradMagnitudes(d).saturating, Math.abs(sat), { atol: 1e-6, rtol: 1e-3, message: `saturating at ${d}` });
          lib.check.close(exports.gradMagnitudes(d).nonSaturating, Math.abs(ns), { atol: 1e-6, rtol: 1e-3, message: `non-saturating at ${d}` });
        }
      },
    },
  ],
};
export default tests;
