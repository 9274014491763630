/**
 * Seeded random numbers for everything lib samples itself (toy data, shuffles, splits).
 *
 * Why: a lesson must print the same numbers every time it runs with the same seed. TensorFlow.js
 * ops and layer initializers without an explicit seed draw their seed from `Math.random`, which
 * `setupLesson` replaces with a seeded generator; lib's own sampling goes through `Rng` below so
 * that it never depends on call order elsewhere.
 */
import seedrandom from "seedrandom";

export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Fisher–Yates shuffle in place; returns the array. */
  shuffle<T>(items: T[]): T[];
  /** A fresh integer seed derived from this stream (for seeding tf ops). */
  seed(): number;
}

/** A deterministic generator. Without a seed it is seeded from `Math.random` (itself seeded by setup). */
export function createRng(seed?: number | string): Rng {
  const prng = seedrandom(String(seed ?? Math.random()));
  let spare: number | null = null;
  const rng: Rng = {
    uniform: () => prng(),
    normal() {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u = 0;
      while (u === 0) u = prng();
      const v = prng();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    int: (n: number) => Math.floor(prng() * n),
    shuffle<T>(items: T[]): T[] {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(prng() * (i + 1));
        [items[i], items[j]] = [items[j], items[i]];
      }
      return items;
    },
    seed: () => Math.floor(prng() * 2 ** 31),
  };
  return rng;
}

/**
 * Replace `Math.random` with a seeded generator. Called by `setupLesson` only (never on import):
 * this is what makes tf initializers and unseeded tf.random* ops reproducible.
 */
export function seedGlobalRandom(seed: number): void {
  seedrandom(String(seed), { global: true });
}
