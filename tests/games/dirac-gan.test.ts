import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { diracDiscriminator, diracGenerator, diracParameters, trainDiracGan } from "../../lib/games/dirac-gan";
import { diracGame } from "../../lib/games/game";
import { alternatingGda } from "../../lib/games/methods";
import { simulate } from "../../lib/games/simulate";
import { r1Regularizer } from "../../lib/games/r1";
import { registerComparisonGradients } from "../../lib/backend/gradients";

beforeAll(async () => {
  await tf.setBackend("cpu");
  registerComparisonGradients();
});

describe("Dirac-GAN with the real GanTrainer", () => {
  it("the models hold θ and ψ and compute G(z) = θ, D(x) = ψx", () => {
    const g = diracGenerator(0.7);
    const d = diracDiscriminator(-1.5);
    expect(diracParameters(g, d)).toEqual([expect.closeTo(0.7, 6), expect.closeTo(-1.5, 6)]);
    expect((d.predict(tf.tensor2d([[2]])) as tf.Tensor).dataSync()[0]).toBeCloseTo(-3, 5);
    expect((g.predict(tf.zeros([1, 1])) as tf.Tensor).dataSync()[0]).toBeCloseTo(0.7, 6);
  });
  it("training is alternating gradient descent–ascent on diracGame (D first)", async () => {
    const run = await trainDiracGan({ theta0: 1, psi0: 0.5, lr: 0.2, steps: 60 });
    const sim = simulate(diracGame, alternatingGda("y"), [1, 0.5], { steps: 60, lr: 0.2 });
    expect(run.theta).toHaveLength(61);
    run.theta.forEach((t, i) => {
      expect(t).toBeCloseTo(sim.x[i], 4);
      expect(run.psi[i]).toBeCloseTo(sim.y[i], 4);
    });
    expect(Math.min(...run.distance)).toBeGreaterThan(0.5); // circles, does not converge
  });
  it("with the R1 penalty it converges", async () => {
    const run = await trainDiracGan({ theta0: 1, psi0: 0.5, lr: 0.2, steps: 150, regularizers: [r1Regularizer(1)] });
    expect(run.distance[150]).toBeLessThan(0.05 * run.distance[0]);
  });
});
