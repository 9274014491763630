/**
 * Two-player zero-sum games with one number per player: min_x max_y V(x, y).
 *
 * Why: the smallest setting in which gradient-based training of a GAN can be analysed exactly.
 * The bilinear game V(x, y) = xy (the "xy game" of the NIPS 2016 tutorial, §8.1; Salimans et al.
 * 2016) has its unique equilibrium at (0, 0), yet the players circle around it; the Dirac-GAN of
 * Mescheder et al. (2018) shows the same rotation inside a real GAN.
 *
 * A game is described by its value and its *descent field* v(x, y) = (∂V/∂x, −∂V/∂y): the
 * direction both players step against (x descends V, y ascends it), so gradient descent–ascent is
 * p ← p − η v(p) for p = (x, y). Its Jacobian J = ∂v/∂p governs every update rule near equilibrium.
 */

export type Point = [number, number];
export type Matrix = number[][];

export interface Game {
  name: string;
  /** V(x, y): x (first player) minimises, y (second player) maximises. */
  value(x: number, y: number): number;
  /** v = (∂V/∂x, −∂V/∂y). */
  field(x: number, y: number): Point;
  /** ∂v/∂(x, y), 2×2; when absent, computed by central differences. */
  jacobian?(x: number, y: number): Matrix;
  /** The equilibrium the lesson studies. */
  equilibrium: Point;
}

/** J = ∂v/∂(x, y) of a game at a point (exact when the game provides it, else central differences, h = 1e-5). */
export function gameJacobian(game: Game, p: Point, h = 1e-5): Matrix {
  if (game.jacobian) return game.jacobian(p[0], p[1]);
  const [x, y] = p;
  const [ax, ay] = game.field(x + h, y);
  const [bx, by] = game.field(x - h, y);
  const [cx, cy] = game.field(x, y + h);
  const [dx, dy] = game.field(x, y - h);
  return [
    [(ax - bx) / (2 * h), (cx - dx) / (2 * h)],
    [(ay - by) / (2 * h), (cy - dy) / (2 * h)],
  ];
}

/** The xy game V(x, y) = x·y: v = (y, −x), a pure rotation; unique equilibrium (0, 0). */
export const xyGame: Game = {
  name: "xy",
  value: (x, y) => x * y,
  field: (x, y) => [y, -x],
  jacobian: () => [
    [0, 1],
    [-1, 0],
  ],
  equilibrium: [0, 0],
};

const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));
/** log σ(t), stably. */
const logSigmoid = (t: number) => (t >= 0 ? -Math.log1p(Math.exp(-t)) : t - Math.log1p(Math.exp(t)));

/**
 * The Dirac-GAN (Mescheder et al. 2018, §2.2): data p_data = δ_0, generator p_θ = δ_θ (one
 * parameter, x = θ), linear discriminator D(x) = σ(ψ·x). The GAN value function becomes
 *   V(θ, ψ) = log σ(ψ·0) + log(1 − σ(ψθ)) = −log 2 + log σ(−ψθ),
 * minimised over θ (the generator, first player) and maximised over ψ (the discriminator).
 * v = (−ψ σ(ψθ), θ σ(ψθ)); at the equilibrium (0, 0), J = [[0, −½], [½, 0]]: purely imaginary
 * eigenvalues ±i/2, the xy game's rotation at half the speed (and turning the other way).
 */
export const diracGame: Game = {
  name: "Dirac-GAN",
  value: (theta, psi) => -Math.LN2 + logSigmoid(-psi * theta),
  field: (theta, psi) => {
    const s = sigmoid(psi * theta);
    return [-psi * s, theta * s];
  },
  jacobian: (theta, psi) => {
    const s = sigmoid(psi * theta);
    const q = s * (1 - s); // σ'
    return [
      [-q * psi * psi, -s - q * psi * theta],
      [s + q * psi * theta, q * theta * theta],
    ];
  },
  equilibrium: [0, 0],
};

export interface StateRow {
  state: number;
  x: string; // "x > 0"
  y: string;
  V: string;
  /** How the minimising player moves: the sign of −∂V/∂x. */
  xMoves: "increase x" | "decrease x";
  /** How the maximising player moves: the sign of +∂V/∂y. */
  yMoves: "increase y" | "decrease y";
  /** The state the joint move leads to. */
  next: number;
}

const sign = (v: number, name: string) => `${name} ${v > 0 ? ">" : "<"} 0`;

/**
 * The four-state table of a game on the quadrants around its equilibrium: signs of x, y, V, which
 * way each player's gradient step moves it, and the quadrant the joint move enters next (found by
 * following the gradient flow in small steps from the quadrant's diagonal). For the xy game every
 * state leads to the next: 1 → 2 → 3 → 4 → 1, a cycle, never the equilibrium.
 */
export function quadrantTable(game: Game = xyGame): StateRow[] {
  const [ex, ey] = game.equilibrium;
  const quadrants: Point[] = [
    [1, 1],
    [-1, 1],
    [-1, -1],
    [1, -1],
  ];
  const quadrantOf = (x: number, y: number) => quadrants.findIndex(([sx, sy]) => Math.sign(x - ex) === sx && Math.sign(y - ey) === sy);
  return quadrants.map(([sx, sy], i) => {
    const x = ex + 0.5 * sx;
    const y = ey + 0.5 * sy;
    const [vx, vy] = game.field(x, y);
    // Follow the flow p' = −v(p) with small steps until the quadrant changes.
    let p: Point = [x, y];
    let q = i;
    for (let k = 0; k < 100_000 && q === i; k++) {
      const [fx, fy] = game.field(p[0], p[1]);
      p = [p[0] - 1e-3 * fx, p[1] - 1e-3 * fy];
      q = quadrantOf(p[0], p[1]);
    }
    return {
      state: i + 1,
      x: sign(sx, "x"),
      y: sign(sy, "y"),
      V: sign(game.value(x, y) - game.value(ex, ey), "V"),
      xMoves: -vx > 0 ? "increase x" : "decrease x",
      yMoves: -vy > 0 ? "increase y" : "decrease y",
      next: q + 1,
    };
  });
}
