import { describe, expect, it } from "vitest";
import { diracGame, xyGame } from "../../lib/games/game";
import { alternatingGda, consensusOptimization, extragradient, optimisticGda, simultaneousGda } from "../../lib/games/methods";
import { simulate, updateMatrix } from "../../lib/games/simulate";
import { spectralRadius } from "../../lib/games/spectral";

const expectMatrix = (a: number[][], b: number[][], digits = 9) => a.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(b[i][j], digits)));

describe("simulating the xy game", () => {
  it("simultaneous GDA: the distance grows by exactly √(1 + η²) per step", () => {
    for (const lr of [0.05, 0.3]) {
      const t = simulate(xyGame, simultaneousGda(), [1, 0.5], { steps: 50, lr });
      for (let k = 1; k <= 50; k++) expect(t.distance[k] / t.distance[k - 1]).toBeCloseTo(Math.sqrt(1 + lr * lr), 12);
    }
  });
  it("alternating GDA: a bounded orbit that keeps x² + y² − η·x·y fixed (x first)", () => {
    const lr = 0.2;
    const t = simulate(xyGame, alternatingGda("x"), [1, 0], { steps: 2000, lr });
    const q = (i: number) => t.x[i] ** 2 + t.y[i] ** 2 - lr * t.x[i] * t.y[i];
    for (const i of [1, 10, 500, 2000]) expect(q(i)).toBeCloseTo(q(0), 10);
    expect(Math.max(...t.distance)).toBeLessThan(1.2);
    expect(Math.min(...t.distance)).toBeGreaterThan(0.8);
  });
  it("extragradient, optimistic GDA and consensus converge; a decaying step does not", () => {
    for (const m of [extragradient(), optimisticGda(), consensusOptimization(1)]) {
      expect(simulate(xyGame, m, [1, 1], { steps: 2000, lr: 0.1 }).distance[2000]).toBeLessThan(1e-3);
    }
    const decay = simulate(xyGame, simultaneousGda(), [1, 1], { steps: 5000, lr: 0.5, schedule: (t) => 1 / (1 + t) });
    // r_T = r_0 Π √(1 + η_t²): increasing, bounded, never back to r_0
    let prod = 1;
    for (let t = 0; t < 5000; t++) prod *= Math.sqrt(1 + (0.5 / (1 + t)) ** 2);
    expect(decay.distance[5000]).toBeCloseTo(Math.SQRT2 * prod, 10);
    expect(decay.distance[5000]).toBeGreaterThan(decay.distance[0]);
  });
});

describe("update matrices and spectral radii", () => {
  const lr = 0.2;
  const g = 0.7;
  it("closed forms on the xy game", () => {
    expectMatrix(updateMatrix(xyGame, simultaneousGda(), lr), [[1, -lr], [lr, 1]]);
    expectMatrix(updateMatrix(xyGame, alternatingGda("x"), lr), [[1, -lr], [lr, 1 - lr * lr]]);
    expectMatrix(updateMatrix(xyGame, extragradient(), lr), [[1 - lr * lr, -lr], [lr, 1 - lr * lr]]);
    expectMatrix(updateMatrix(xyGame, consensusOptimization(g), lr), [[1 - lr * g, -lr], [lr, 1 - lr * g]]);
    expectMatrix(updateMatrix(xyGame, optimisticGda(), lr), [[1, -2 * lr, lr, 0], [2 * lr, 1, 0, lr], [0, 1, 0, 0], [-1, 0, 0, 0]]);
  });
  it("spectral radii: √(1 + η²), 1, √(1 − η² + η⁴), √((1 − ηγ)² + η²), and < 1 for optimistic", () => {
    expect(spectralRadius(updateMatrix(xyGame, simultaneousGda(), lr))).toBeCloseTo(Math.sqrt(1 + lr * lr), 9);
    expect(spectralRadius(updateMatrix(xyGame, alternatingGda(), lr))).toBeCloseTo(1, 9);
    expect(spectralRadius(updateMatrix(xyGame, extragradient(), lr))).toBeCloseTo(Math.sqrt(1 - lr * lr + lr ** 4), 9);
    expect(spectralRadius(updateMatrix(xyGame, consensusOptimization(g), lr))).toBeCloseTo(Math.sqrt((1 - lr * g) ** 2 + lr * lr), 9);
    expect(spectralRadius(updateMatrix(xyGame, optimisticGda(), lr))).toBeLessThan(1);
  });
  it("the spectral radius predicts the simulated rate", () => {
    const m = optimisticGda();
    const rho = spectralRadius(updateMatrix(xyGame, m, 0.1));
    const t = simulate(xyGame, m, [1, 1], { steps: 3000, lr: 0.1 });
    expect(Math.pow(t.distance[3000] / t.distance[2000], 1 / 1000)).toBeCloseTo(rho, 6);
  });
  it("Dirac-GAN near equilibrium: simultaneous grows by √(1 + η²/4), alternating stays at 1", () => {
    expect(spectralRadius(updateMatrix(diracGame, simultaneousGda(), lr))).toBeCloseTo(Math.sqrt(1 + (lr * lr) / 4), 8);
    expect(spectralRadius(updateMatrix(diracGame, alternatingGda("y"), lr))).toBeCloseTo(1, 8);
  });
});
