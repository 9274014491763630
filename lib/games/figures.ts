/**
 * Plotly figures for two-player games: the field the players follow, drawn as arrows, with
 * trajectories of update rules on top; and distance to equilibrium on a log scale.
 */
import { Figure } from "../plot/plotly";
import { Game } from "./game";
import { Trajectory } from "./simulate";

export interface FieldOptions {
  /** Square window [lo, hi]² around the equilibrium. */
  range?: [number, number]; // [-2, 2]
  /** Arrows per side. */
  n?: number; // 15
}

/** One scatter trace of arrows along −v (the direction both players move), length ∝ |v|. */
export function vectorFieldTrace(game: Game, options: FieldOptions = {}): Record<string, unknown> {
  const [lo, hi] = options.range ?? [-2, 2];
  const n = options.n ?? 15;
  const spacing = (hi - lo) / (n - 1);
  const arrows: { x: number; y: number; dx: number; dy: number }[] = [];
  let maxNorm = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = lo + i * spacing;
      const y = lo + j * spacing;
      const [vx, vy] = game.field(x, y);
      maxNorm = Math.max(maxNorm, Math.hypot(vx, vy));
      arrows.push({ x, y, dx: -vx, dy: -vy });
    }
  }
  const xs: (number | null)[] = [];
  const ys: (number | null)[] = [];
  for (const a of arrows) {
    const norm = Math.hypot(a.dx, a.dy);
    if (norm === 0 || maxNorm === 0) continue;
    const len = (0.8 * spacing * norm) / maxNorm;
    const ux = a.dx / norm;
    const uy = a.dy / norm;
    const tx = a.x + len * ux;
    const ty = a.y + len * uy;
    const head = 0.3 * len;
    // shaft, then two barbs at ±25° from the reversed direction
    xs.push(a.x, tx, null);
    ys.push(a.y, ty, null);
    for (const s of [1, -1]) {
      const c = Math.cos(s * 0.45);
      const sn = Math.sin(s * 0.45);
      xs.push(tx, tx - head * (c * ux - sn * uy), null);
      ys.push(ty, ty - head * (sn * ux + c * uy), null);
    }
  }
  return { type: "scatter", mode: "lines", name: "field −v", x: xs, y: ys, line: { color: "rgba(120,120,120,0.55)", width: 1 }, hoverinfo: "skip" };
}

/** The field, each trajectory as a line from its start (marked) and the equilibrium (a star). */
export function gameFigure(game: Game, trajectories: Trajectory[], options: FieldOptions & { title?: string; xTitle?: string; yTitle?: string } = {}): Figure {
  const range = options.range ?? [-2, 2];
  return {
    data: [
      vectorFieldTrace(game, options),
      ...trajectories.map((t) => ({ type: "scatter", mode: "lines+markers", name: t.method, x: t.x, y: t.y, marker: { size: 3 }, line: { width: 1.5 } })),
      { type: "scatter", mode: "markers", name: "start", x: [trajectories[0]?.x[0]], y: [trajectories[0]?.y[0]], marker: { size: 9, symbol: "circle-open", color: "black" } },
      { type: "scatter", mode: "markers", name: "equilibrium", x: [game.equilibrium[0]], y: [game.equilibrium[1]], marker: { size: 12, symbol: "star", color: "black" } },
    ],
    layout: {
      title: { text: options.title ?? `${game.name}: field and trajectories` },
      xaxis: { title: { text: options.xTitle ?? "x (minimiser)" }, range },
      yaxis: { title: { text: options.yTitle ?? "y (maximiser)" }, range, scaleanchor: "x" },
      height: 520,
    },
  };
}

/** ‖p_t − p*‖ against t for several trajectories, log-scaled. */
export function distanceFigure(trajectories: Trajectory[], title = "Distance to the equilibrium"): Figure {
  return {
    data: trajectories.map((t) => ({ type: "scatter", mode: "lines", name: t.method, x: t.distance.map((_, i) => i), y: t.distance })),
    layout: { title: { text: title }, xaxis: { title: { text: "step" } }, yaxis: { title: { text: "‖p − p*‖ (log scale)" }, type: "log" } },
  };
}
