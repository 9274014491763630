/** Hidden tests of notebooks/03-xy-game.ipynb (never released to students). */
import type { HiddenTests } from "../../lib/exercises/hidden";

const tests: HiddenTests = {
  "03-xy-game/simultaneous-step": [
    {
      name: "one step equals lib's simultaneous GDA on the xy game",
      points: 1,
      run: ({ exports, lib }) => {
        for (const [x, y, lr] of [[3, -1, 0.25], [-0.2, -0.7, 1], [0, 2, 0.1]]) {
          lib.check.close(exports.simultaneousStep(x, y, lr), lib.games.simultaneousGda().step(lib.games.xyGame, [x, y], lr), { atol: 1e-12, message: `step from (${x}, ${y}), lr ${lr}` });
        }
      },
    },
    {
      name: "50 steps grow the distance by (1 + lr^2)^25",
      points: 1,
      run: ({ exports, lib }) => {
        let p: [number, number] = [0.3, 0.4];
        for (let t = 0; t < 50; t++) p = exports.simultaneousStep(p[0], p[1], 0.2);
        lib.check.close(Math.hypot(p[0], p[1]), 0.5 * Math.pow(1.04, 25), { rtol: 1e-9, message: "distance after 50 steps" });
      },
    },
  ],
  "03-xy-game/spectral-radius": [
    {
      name: "complex eigenvalue pairs",
      points: 1,
      run: ({ exports, lib }) => {
        lib.check.close(exports.spectralRadius2x2([[0.6, -0.8], [0.8, 0.6]]), 1, { atol: 1e-12, message: "a rotation" });
        lib.check.close(exports.spectralRadius2x2([[0.96, -0.2], [0.2, 0.96]]), Math.hypot(0.96, 0.2), { atol: 1e-12, message: "extragradient's matrix, eta = 0.2" });
      },
    },
    {
      name: "real eigenvalues, including negative and repeated ones",
      points: 1,
      run: ({ exports, lib }) => {
        lib.check.close(exports.spectralRadius2x2([[-4, 1], [0, 2]]), 4, { atol: 1e-12, message: "eigenvalues -4 and 2" });
        lib.check.close(exports.spectralRadius2x2([[0.5, 0], [0, 0.5]]), 0.5, { atol: 1e-12, message: "repeated eigenvalue 0.5" });
        lib.check.close(exports.spectralRadius2x2([[0, 1], [1, 0]]), 1, { atol: 1e-12, message: "eigenvalues ±1" });
      },
    },
    {
      name: "matches lib on random matrices",
      points: 1,
      run: ({ exports, lib }) => {
        const rng = lib.createRng(17);
        for (let trial = 0; trial < 25; trial++) {
          const m = [[rng.normal(), rng.normal()], [rng.normal(), rng.normal()]];
          lib.check.close(exports.spectralRadius2x2(m), lib.games.spectralRadius(m), { atol: 1e-9, message: `matrix ${JSON.stringify(m)}` });
        }
      },
    },
  ],
  "03-xy-game/extragradient-step": [
    {
      name: "one step equals lib's extragradient on the xy game",
      points: 1,
      run: ({ exports, lib }) => {
        for (const [x, y, lr] of [[3, -1, 0.25], [-0.2, -0.7, 0.9], [0, 2, 0.1]]) {
          lib.check.close(exports.extragradientStep(x, y, lr), lib.games.extragradient().step(lib.games.xyGame, [x, y], lr), { atol: 1e-12, message: `step from (${x}, ${y}), lr ${lr}` });
        }
      },
    },
    {
      name: "100 steps shrink the distance by (1 - lr^2 + lr^4)^50",
      points: 1,
      run: ({ exports, lib }) => {
        let p: [number, number] = [1, 0];
        for (let t = 0; t < 100; t++) p = exports.extragradientStep(p[0], p[1], 0.3);
        lib.check.close(Math.hypot(p[0], p[1]), Math.pow(1 - 0.09 + 0.0081, 50), { rtol: 1e-9, message: "distance after 100 steps" });
      },
    },
  ],
};
export default tests;
