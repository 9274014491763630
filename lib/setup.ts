/**
 * `setupLesson`: the one explicit call in the first cell of every notebook.
 *
 * It picks the backend (see backend/select.ts), seeds every source of randomness (Math.random,
 * which unseeded tf.random* ops and layer initializers draw from, and lib's own Rng), and prints
 * one line saying what runs. Importing lib does none of this by itself.
 */
import * as tf from "@tensorflow/tfjs";
import { BackendInfo, BackendName, initBackend } from "./backend/select";
import { seedGlobalRandom } from "./random";
import { registerComparisonGradients } from "./backend/gradients";

export interface SetupConfig {
  /** Seed for Math.random, tf initializers and lib's samplers. Default 42. */
  seed?: number;
  /** Force a backend; default: $GAN_COURSE_BACKEND, else the fastest available. */
  backend?: BackendName;
  /** Print the one-line summary. Default true. */
  verbose?: boolean;
}

export interface SetupResult extends BackendInfo {
  seed: number;
  tfjsVersion: string;
}

export async function setupLesson(config: SetupConfig = {}): Promise<SetupResult> {
  const seed = config.seed ?? 42;
  const info = await initBackend(config.backend);
  registerComparisonGradients();
  seedGlobalRandom(seed);
  const result: SetupResult = { ...info, seed, tfjsVersion: tf.version.tfjs };
  if (config.verbose ?? true) {
    const skipped = info.skipped.length ? ` (skipped ${info.skipped.join("; ")})` : "";
    console.log(`gan-course: backend=${info.name} threads=${info.threads} seed=${seed} tfjs=${tf.version.tfjs}${skipped}`);
  }
  return result;
}

/** Re-seed mid-lesson (e.g. before each run of a multi-seed experiment). */
export function reseed(seed: number): void {
  seedGlobalRandom(seed);
}
