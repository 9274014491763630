/**
 * Running an update rule on a game, and its update matrix at the equilibrium.
 *
 * `simulate` iterates a method from a start point and records the trajectory and the distance to
 * the equilibrium. `updateMatrix` linearises one step of the method around the equilibrium (by
 * central differences of the step map itself, so it describes exactly the code that `simulate`
 * runs): for a linear game like xy it *is* the step, for a nonlinear one like the Dirac-GAN it is
 * the first-order behaviour near equilibrium.
 */
import { Game, Matrix } from "./game";
import { Method } from "./methods";

export interface SimulateOptions {
  steps: number;
  lr: number;
  /** Step size at step t (t = 0, 1, ...) is lr · schedule(t); default constant. E.g. t => 1 / (1 + t). */
  schedule?: (t: number) => number;
}

export interface Trajectory {
  method: string;
  /** Points p_0 … p_steps. */
  x: number[];
  y: number[];
  /** ‖p_t − p*‖ to the game's equilibrium. */
  distance: number[];
}

export function simulate(game: Game, method: Method, start: [number, number], options: SimulateOptions): Trajectory {
  const [ex, ey] = game.equilibrium;
  let state = method.init(start, game);
  const traj: Trajectory = { method: method.name, x: [state[0]], y: [state[1]], distance: [Math.hypot(state[0] - ex, state[1] - ey)] };
  for (let t = 0; t < options.steps; t++) {
    const lr = options.lr * (options.schedule ? options.schedule(t) : 1);
    state = method.step(game, state, lr);
    traj.x.push(state[0]);
    traj.y.push(state[1]);
    traj.distance.push(Math.hypot(state[0] - ex, state[1] - ey));
  }
  return traj;
}

/** The Jacobian of one step of `method` (state → state) at the game's equilibrium; stateSize × stateSize. */
export function updateMatrix(game: Game, method: Method, lr: number, eps = 1e-4): Matrix {
  const s0 = method.init(game.equilibrium, game);
  const n = method.stateSize;
  const m: Matrix = Array.from({ length: n }, () => new Array(n).fill(0));
  for (let j = 0; j < n; j++) {
    const plus = [...s0];
    const minus = [...s0];
    plus[j] += eps;
    minus[j] -= eps;
    const a = method.step(game, plus, lr);
    const b = method.step(game, minus, lr);
    for (let i = 0; i < n; i++) m[i][j] = (a[i] - b[i]) / (2 * eps);
  }
  return m;
}
