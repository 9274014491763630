/**
 * 2-D toy distributions for seeing mode collapse: the 8-Gaussian ring and the 25-Gaussian grid
 * used by VEEGAN (Srivastava et al. 2017) and PacGAN (Lin et al. 2018), and a spiral.
 *
 * Defaults: a ring of 8 modes on a circle of radius 2 with std 0.02, and a grid of 5×5 modes at
 * {-4, -2, 0, 2, 4}² with std 0.05 (the grid of both papers). PacGAN's released code draws its ring
 * with radius 1 and std 0.01: the same radius-to-std ratio, so the "within 3 std of a mode"
 * metrics (lib/metrics/mode-coverage) score both alike. Every mixture knows its centers and std.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, createRng } from "../random";

export interface Mixture2D {
  name: string;
  /** Mode centers [[x, y], ...]. */
  centers: [number, number][];
  /** Standard deviation of every mode (isotropic). */
  std: number;
}

export interface RingConfig {
  modes?: number; // 8
  radius?: number; // 2
  std?: number; // 0.02
}

export function ringMixture(config: RingConfig = {}): Mixture2D {
  const modes = config.modes ?? 8;
  const radius = config.radius ?? 2;
  const centers: [number, number][] = [];
  for (let k = 0; k < modes; k++) {
    const a = (2 * Math.PI * k) / modes;
    centers.push([radius * Math.cos(a), radius * Math.sin(a)]);
  }
  return { name: `ring-${modes}`, centers, std: config.std ?? 0.02 };
}

export interface GridConfig {
  side?: number; // 5 (so 25 modes)
  spacing?: number; // 2
  std?: number; // 0.05
}

export function gridMixture(config: GridConfig = {}): Mixture2D {
  const side = config.side ?? 5;
  const spacing = config.spacing ?? 2;
  const offset = ((side - 1) * spacing) / 2;
  const centers: [number, number][] = [];
  for (let i = 0; i < side; i++) for (let j = 0; j < side; j++) centers.push([i * spacing - offset, j * spacing - offset]);
  return { name: `grid-${side * side}`, centers, std: config.std ?? 0.05 };
}

/** n points from the mixture (modes chosen uniformly), as a flat [x0, y0, x1, y1, ...] array. */
export function sampleMixture2dArray(m: Mixture2D, n: number, rng: Rng = createRng()): Float32Array {
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const [cx, cy] = m.centers[rng.int(m.centers.length)];
    out[2 * i] = cx + m.std * rng.normal();
    out[2 * i + 1] = cy + m.std * rng.normal();
  }
  return out;
}

export function sampleMixture2d(m: Mixture2D, n: number, rng: Rng = createRng()): tf.Tensor2D {
  return tf.tensor2d(sampleMixture2dArray(m, n, rng), [n, 2]); // [n, 2]
}

export interface SpiralConfig {
  turns?: number; // 2
  noise?: number; // 0.05
  scale?: number; // 2
}

/** A noisy 2-D spiral (one connected but curved manifold). */
export function sampleSpiral(n: number, config: SpiralConfig = {}, rng: Rng = createRng()): tf.Tensor2D {
  const turns = config.turns ?? 2;
  const noise = config.noise ?? 0.05;
  const scale = config.scale ?? 2;
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const t = Math.sqrt(rng.uniform()); // uniform along the arc's area
    const a = 2 * Math.PI * turns * t;
    out[2 * i] = scale * t * Math.cos(a) + noise * rng.normal();
    out[2 * i + 1] = scale * t * Math.sin(a) + noise * rng.normal();
  }
  return tf.tensor2d(out, [n, 2]);
}
