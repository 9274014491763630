/** Hidden tests of notebooks/09-image-translation.ipynb (never released to students). */
import type { HiddenTests } from "../../lib/exercises/hidden";

const tests: HiddenTests = {
  "09-image-translation/patchgan-shape": [
    {
      name: "grid size: explicit padding, strides and kernels",
      points: 1,
      run: ({ exports, lib }) => {
        lib.check.close(exports.patchGridSize(64, [{ kernel: 4, stride: 2, padding: 1 }, { kernel: 4, stride: 2, padding: 1 }, { kernel: 4, stride: 1, padding: 1 }, { kernel: 4, stride: 1, padding: 1 }]), 14, { message: "64 → 32 → 16 → 15 → 14" });
        lib.check.close(exports.patchGridSize(10, [{ kernel: 3, stride: 1, padding: 0 }]), 8, { message: "valid 3×3" });
        lib.check.close(exports.patchGridSize(9, [{ kernel: 3, stride: 2, padding: 0 }]), 4, { message: "floor division" });
      },
    },
    {
      name: "patch size (receptive field) agrees with lib for several stacks",
      points: 1,
      run: ({ exports, lib }) => {
        const stacks = [
          [{ kernel: 4, stride: 2, padding: 1 }, { kernel: 4, stride: 1, padding: 1 }, { kernel: 4, stride: 1, padding: 1 }], // the paper's 16×16 PatchGAN
          [{ kernel: 3, stride: 1, padding: 1 }, { kernel: 3, stride: 1, padding: 1 }],
          [{ kernel: 4, stride: 2, padding: 1 }, { kernel: 4, stride: 2, padding: 1 }, { kernel: 4, stride: 2, padding: 1 }, { kernel: 4, stride: 2, padding: 1 }, { kernel: 4, stride: 1, padding: 1 }, { kernel: 4, stride: 1, padding: 1 }], // 142×142
        ];
        const expected = [16, 5, 142];
        stacks.forEach((s, i) => {
          lib.check.close(exports.patchSize(s), expected[i], { message: `stack ${i}` });
          lib.check.close(exports.patchSize(s), lib.models.receptiveField(s), { message: `stack ${i} vs lib` });
        });
      },
    },
    {
      name: "a single pixel: one layer of kernel 1 sees one pixel; no layers see one pixel",
      points: 1,
      run: ({ exports, lib }) => {
        lib.check.close(exports.patchSize([{ kernel: 1, stride: 1, padding: 0 }]), 1);
        lib.check.close(exports.patchSize([]), 1);
        lib.check.close(exports.patchGridSize(28, []), 28);
      },
    },
  ],
  "09-image-translation/cycle-loss": [
    {
      name: "zero for perfect cycles, sum of the two mean absolute errors otherwise",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const a = tf.randomUniform([3, 5, 5, 1], -1, 1, "float32", 1);
        const b = tf.randomUniform([3, 5, 5, 1], -1, 1, "float32", 2);
        lib.check.close(exports.cycleLoss(a, a, b, b), 0, { atol: 1e-7 });
        const aBack = tf.add(a, 0.25), bBack = tf.sub(b, 0.5);
        lib.check.close(exports.cycleLoss(a, aBack, b, bBack), 0.75, { rtol: 1e-5 });
      },
    },
    {
      name: "agrees with lib on random images of different batch shapes",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const [a, ab] = [tf.randomNormal([2, 6, 6, 1], 0, 1, "float32", 3), tf.randomNormal([2, 6, 6, 1], 0, 1, "float32", 4)];
        const [b, bb] = [tf.randomNormal([5, 6, 6, 1], 0, 1, "float32", 5), tf.randomNormal([5, 6, 6, 1], 0, 1, "float32", 6)];
        lib.check.close(exports.cycleLoss(a, ab, b, bb), lib.models.cycleConsistencyLoss(a, ab, b, bb), { rtol: 1e-5 });
      },
    },
  ],
  "09-image-translation/cyclegan-g-loss": [
    {
      name: "2 log 2 for undecided discriminators and perfect cycles; λ scales the cycle term",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const v = tf.zeros([3, 4, 4, 1]);
        const img = tf.fill([3, 6, 6, 1], 0.5);
        lib.check.close(exports.cycleganGeneratorLoss(v, v, img, img, img, img, 10), 2 * Math.log(2), { rtol: 1e-5 });
        lib.check.close(exports.cycleganGeneratorLoss(v, v, img, tf.zeros([3, 6, 6, 1]), img, tf.ones([3, 6, 6, 1]), 4), 2 * Math.log(2) + 4 * (0.5 + 0.5), { rtol: 1e-5 });
      },
    },
    {
      name: "agrees with lib on random verdict grids and images",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const dB = tf.randomNormal([4, 7, 7, 1], 0, 3, "float32", 7), dA = tf.randomNormal([4, 7, 7, 1], 0, 3, "float32", 8);
        const [a, ab, b, bb] = [9, 10, 11, 12].map((s) => tf.randomUniform([4, 8, 8, 1], -1, 1, "float32", s));
        lib.check.close(exports.cycleganGeneratorLoss(dB, dA, a, ab, b, bb, 2.5), lib.models.cycleGanGeneratorLoss(lib.losses.nonSaturatingLoss, dB, dA, a, ab, b, bb, 2.5), { rtol: 1e-5 });
      },
    },
    {
      name: "stable for confident verdicts (±100)",
      points: 1,
      run: ({ exports, tf, lib }) => {
        const dB = tf.fill([1, 2, 2, 1], -100), dA = tf.fill([1, 2, 2, 1], 100);
        const img = tf.zeros([1, 2, 2, 1]);
        const v = exports.cycleganGeneratorLoss(dB, dA, img, img, img, img, 10).dataSync()[0];
        lib.check.ok(Number.isFinite(v), `expected a finite loss, got ${v}`);
        lib.check.close(v, 100, { rtol: 1e-4, message: "softplus(100) + softplus(−100)" });
      },
    },
  ],
};
export default tests;
