/** Hidden tests of notebooks/04-evaluating-gans.ipynb (never released to students). */
import type { HiddenTests } from "../../lib/exercises/hidden";

const tests: HiddenTests = {
  "04-evaluating-gans/frechet-gaussians": [
    {
      name: "zero for identical Gaussians, symmetric in its arguments",
      points: 1,
      run: ({ exports, lib }) => {
        const cov = [[2, 0.5], [0.5, 1]];
        lib.check.close(exports.frechetGaussians([1, -1], cov, [1, -1], cov), 0, { atol: 1e-8, message: "identical" });
        const a = exports.frechetGaussians([0, 1], cov, [2, 0], [[1, 0], [0, 3]]);
        const b = exports.frechetGaussians([2, 0], [[1, 0], [0, 3]], [0, 1], cov);
        lib.check.close(a, b, { rtol: 1e-6, message: "symmetric" });
      },
    },
    {
      name: "closed form for commuting (diagonal) covariances",
      points: 1,
      run: ({ exports, lib }) => {
        const d = exports.frechetGaussians([0, 0, 0], [[4, 0, 0], [0, 1, 0], [0, 0, 9]], [1, 2, 2], [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
        lib.check.close(d, 1 + 4 + 4 + (2 - 1) ** 2 + 0 + (3 - 1) ** 2, { message: "diagonal 3-D" });
      },
    },
    {
      name: "matches lib's Fréchet distance on non-commuting covariances",
      points: 1,
      run: ({ exports, lib }) => {
        const s1 = { mean: [0.5, -1], cov: [[2, 0.9], [0.9, 1]], n: 10 };
        const s2 = { mean: [0, 0], cov: [[1, -0.3], [-0.3, 3]], n: 10 };
        lib.check.close(exports.frechetGaussians(s1.mean, s1.cov, s2.mean, s2.cov), lib.metrics.frechetDistance(s1, s2), { rtol: 1e-6, message: "non-commuting 2-D" });
      },
    },
  ],
  "04-evaluating-gans/mode-stats": [
    {
      name: "counts covered modes and high-quality points on a 3-mode toy",
      points: 1,
      run: ({ exports, lib }) => {
        const centers = [[0, 0], [4, 0], [0, 4]];
        const pts = [[0.05, 0], [4, 0.1], [4.2, 0], [2, 2], [0, 4.31]];
        const r = exports.modeStats(pts, centers, 0.1);
        lib.check.close(r.modesCovered, 2, { message: "modes covered" });
        lib.check.close(r.highQualityFraction, 3 / 5, { message: "high-quality fraction (within 3 std = 0.3: the first three points)" });
      },
    },
    {
      name: "agrees with lib.metrics.modeCoverage on samples of the grid",
      points: 2,
      run: ({ exports, lib }) => {
        const grid = lib.data.gridMixture();
        const flat = lib.data.sampleMixture2dArray({ ...grid, std: grid.std * 2, centers: grid.centers.slice(0, 20) }, 1500, lib.createRng(5));
        const rows: number[][] = [];
        for (let i = 0; i < flat.length; i += 2) rows.push([flat[i], flat[i + 1]]);
        const mine = exports.modeStats(rows, grid.centers, grid.std);
        const ref = lib.metrics.modeCoverage(flat, grid);
        lib.check.close(mine.modesCovered, ref.modesCovered, { message: "modes covered" });
        lib.check.close(mine.highQualityFraction, ref.highQualityFraction, { atol: 1e-9, message: "high-quality fraction" });
      },
    },
  ],
};
export default tests;
