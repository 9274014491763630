/** Hidden tests of notebooks/00-welcome.ipynb (never released to students). */
import type { HiddenTests } from "../../lib/exercises/hidden";

const tests: HiddenTests = {
  "00-welcome/to-unit-range": [
    {
      name: "maps -1 → 0, 1 → 1 and is linear in between",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const x = tf.tensor1d([-1, -0.5, 0.25, 1]);
        lib.check.close(exports.toUnitRange(x), [0, 0.25, 0.625, 1], { message: "toUnitRange([-1, -0.5, 0.25, 1])" });
      },
    },
    {
      name: "keeps a 4-D image batch's shape",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const out = exports.toUnitRange(tf.fill([3, 5, 5, 1], 0.5));
        lib.check.shape(out, [3, 5, 5, 1], "toUnitRange output");
        lib.check.close(tf.mean(out).dataSync()[0], 0.75);
      },
    },
  ],
};
export default tests;
