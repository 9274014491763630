/** Hidden tests of notebooks/08-conditional-gans.ipynb (never released to students). */
import type { HiddenTests } from "../../lib/exercises/hidden";

const tests: HiddenTests = {
  "08-conditional-gans/one-hot-concat": [
    {
      name: "z first, then a float one-hot of the label, for any batch and class count",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const z = tf.tensor2d([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
        const out = exports.conditionOnLabels(z, tf.tensor1d([4, 0, 2], "int32"), 5);
        lib.check.shape(out, [3, 8], "[3, latentDim 3 + 5 classes]");
        lib.check.ok(out.dtype === "float32", `expected float32, got ${out.dtype}`);
        lib.check.close(out, [[1, 2, 3, 0, 0, 0, 0, 1], [4, 5, 6, 1, 0, 0, 0, 0], [7, 8, 9, 0, 0, 1, 0, 0]]);
      },
    },
    {
      name: "feeds lib's one-hot cGAN generator the same vector as its own concatenation",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const G = lib.models.conditionalGenerator({ latentDim: 4, nClasses: 3, baseChannels: 2, imageShape: [8, 8, 1] });
        const inside = tf.model({ inputs: G.inputs, outputs: G.getLayer("g_concat").output as any });
        const z = tf.randomNormal([6, 4], 0, 1, "float32", 9);
        const labels = tf.tensor1d([0, 1, 2, 2, 1, 0], "int32");
        lib.check.close(exports.conditionOnLabels(z, labels, 3), inside.predict([z, lib.models.oneHotLabels(labels, 3)]) as any, { atol: 1e-6 });
      },
    },
  ],
  "08-conditional-gans/acgan-d-loss": [
    {
      name: "undecided discriminator: 2 log 2 + 2 log K",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const l = tf.tensor1d([0, 1, 2, 3, 4], "int32");
        const v = exports.acganDiscriminatorLoss(tf.zeros([5, 1]), tf.zeros([5, 1]), tf.zeros([5, 7]), tf.zeros([5, 7]), l, l);
        lib.check.close(v, 2 * Math.log(2) + 2 * Math.log(7), { rtol: 1e-5 });
      },
    },
    {
      name: "agrees with lib's ACGAN loss on random logits",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const sr = tf.randomNormal([8, 1], 0, 2, "float32", 1), sf = tf.randomNormal([8, 1], 0, 2, "float32", 2);
        const cr = tf.randomNormal([8, 4], 0, 2, "float32", 3) as any, cf = tf.randomNormal([8, 4], 0, 2, "float32", 4) as any;
        const lr = tf.tensor1d([0, 1, 2, 3, 3, 2, 1, 0], "int32"), lf = tf.tensor1d([3, 3, 1, 1, 0, 0, 2, 2], "int32");
        const expected = lib.models.acganDiscriminatorLoss(lib.losses.nonSaturatingLoss, { source: sr, classLogits: cr, labels: lr }, { source: sf, classLogits: cf, labels: lf });
        lib.check.close(exports.acganDiscriminatorLoss(sr, sf, cr, cf, lr, lf), expected, { rtol: 1e-5 });
      },
    },
    {
      name: "stable for confident logits (no NaN or Infinity at ±100)",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const big = tf.tensor2d([[100], [-100]]);
        const cls = tf.tensor2d([[100, -100], [-100, 100]]) as any;
        const v = exports.acganDiscriminatorLoss(big, tf.neg(big), cls, cls, tf.tensor1d([1, 0], "int32"), tf.tensor1d([0, 1], "int32")).dataSync()[0];
        lib.check.ok(Number.isFinite(v), `expected a finite loss, got ${v}`);
        lib.check.close(v, (100 + 0) / 2 + (0 + 100) / 2 + 200 + 0, { rtol: 1e-4, message: "one wrong source verdict per term, real classes wrong, fake classes right" });
      },
    },
  ],
  "08-conditional-gans/infogan-mi": [
    {
      name: "0 for a uniform Q, log K for a perfect one",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const codes = tf.tensor1d([0, 1, 2, 3, 0, 1], "int32");
        lib.check.close(exports.infoganLowerBound(tf.zeros([6, 4]), codes, 4), 0, { atol: 1e-6 });
        lib.check.close(exports.infoganLowerBound(tf.mul(tf.oneHot(codes, 4), 80), codes, 4), Math.log(4), { rtol: 1e-5 });
      },
    },
    {
      name: "log K minus the cross-entropy, on random logits",
      points: 2,
      run: ({ exports, tf, lib }) => {
        const logits = tf.randomNormal([9, 6], 0, 2, "float32", 5) as any;
        const codes = tf.tensor1d([5, 4, 3, 2, 1, 0, 1, 2, 3], "int32");
        const expected = Math.log(6) - lib.models.infoganInformationLoss(logits, tf.oneHot(codes, 6).toFloat()).dataSync()[0];
        lib.check.close(exports.infoganLowerBound(logits, codes, 6), expected, { rtol: 1e-5 });
      },
    },
  ],
};
export default tests;
