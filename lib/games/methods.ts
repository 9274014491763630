/**
 * Update rules for two-player games, written for the descent field v = (∂V/∂x, −∂V/∂y) of
 * game.ts, so that plain gradient descent–ascent (GDA) is p ← p − η v(p).
 *
 * - simultaneous GDA: both players step from the same point. On the xy game the update matrix
 *   I − ηJ has eigenvalues 1 ± iη: the distance to (0, 0) grows by √(1 + η²) every step.
 * - alternating GDA: x steps, then y steps from the new x (how GanTrainer updates D and G). On the
 *   xy game the matrix has determinant 1 and eigenvalues of modulus 1 (η < 2): a closed orbit.
 * - extragradient (Korpelevich 1976): step to a look-ahead point, then step from the start with the
 *   look-ahead's field. xy game: modulus √(1 − η² + η⁴) < 1 for 0 < η < 1.
 * - optimistic GDA (Daskalakis et al. 2018): p ← p − η(2 v(p_t) − v(p_{t−1})), a cheap look-ahead
 *   that reuses the last field; it has memory, so its state is (x, y, previous field).
 * - consensus optimization (Mescheder et al. 2017): descend v + γ Jᵀv, i.e. also shrink ½‖v‖²,
 *   which pulls every player towards points where the field vanishes. xy game: √((1 − ηγ)² + η²).
 */
import { Game, Point, gameJacobian } from "./game";

export interface Method {
  name: string;
  /** Length of the method's state: 2 for (x, y); 4 for optimistic GDA, which remembers the last field. */
  stateSize: number;
  /** The state at the start point. */
  init(p: Point, game: Game): number[];
  /** One update with step size lr; the current point is the state's first two entries. */
  step(game: Game, state: number[], lr: number): number[];
}

export function simultaneousGda(): Method {
  return {
    name: "simultaneous GDA",
    stateSize: 2,
    init: (p) => [p[0], p[1]],
    step(game, [x, y], lr) {
      const [vx, vy] = game.field(x, y);
      return [x - lr * vx, y - lr * vy];
    },
  };
}

/** Alternating GDA; `first` says which player moves first ("y" = the maximiser, like a GAN's D step before G's). */
export function alternatingGda(first: "x" | "y" = "x"): Method {
  return {
    name: first === "x" ? "alternating GDA" : "alternating GDA (y first)",
    stateSize: 2,
    init: (p) => [p[0], p[1]],
    step(game, [x, y], lr) {
      if (first === "x") {
        const x1 = x - lr * game.field(x, y)[0];
        return [x1, y - lr * game.field(x1, y)[1]];
      }
      const y1 = y - lr * game.field(x, y)[1];
      return [x - lr * game.field(x, y1)[0], y1];
    },
  };
}

export function extragradient(): Method {
  return {
    name: "extragradient",
    stateSize: 2,
    init: (p) => [p[0], p[1]],
    step(game, [x, y], lr) {
      const [vx, vy] = game.field(x, y);
      const [wx, wy] = game.field(x - lr * vx, y - lr * vy); // the field at the look-ahead point
      return [x - lr * wx, y - lr * wy];
    },
  };
}

export function optimisticGda(): Method {
  return {
    name: "optimistic GDA",
    stateSize: 4,
    // No past at the start: the remembered field is the current one, so the first step is plain GDA.
    init: (p, game) => [p[0], p[1], ...game.field(p[0], p[1])],
    step(game, [x, y, px, py], lr) {
      const [vx, vy] = game.field(x, y);
      return [x - lr * (2 * vx - px), y - lr * (2 * vy - py), vx, vy];
    },
  };
}

export function consensusOptimization(gamma = 1): Method {
  return {
    name: `consensus (γ = ${gamma})`,
    stateSize: 2,
    init: (p) => [p[0], p[1]],
    step(game, [x, y], lr) {
      const [vx, vy] = game.field(x, y);
      const j = gameJacobian(game, [x, y]);
      // ∇(½‖v‖²) = Jᵀ v
      const gx = j[0][0] * vx + j[1][0] * vy;
      const gy = j[0][1] * vx + j[1][1] * vy;
      return [x - lr * (vx + gamma * gx), y - lr * (vy + gamma * gy)];
    },
  };
}
