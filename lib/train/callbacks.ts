/**
 * Ready-made trainer callbacks: periodic logging, snapshots, early stopping on a non-finite loss.
 */
import * as tf from "@tensorflow/tfjs";
import { GanTrainer, TrainerCallback } from "./trainer";

/** Print one line every `every` steps: step, losses, images/s. */
export function logEvery(every: number, print: (line: string) => void = console.log): TrainerCallback {
  let last = Date.now();
  let lastStep = 0;
  return ({ step, metrics, trainer }) => {
    if (step % every !== 0) return;
    const now = Date.now();
    const imgsPerSec = ((step - lastStep) * trainer.config.batchSize * 1000) / Math.max(1, now - last);
    last = now;
    lastStep = step;
    const parts = Object.entries(metrics).map(([k, v]) => `${k}=${v.toFixed(4)}`);
    print(`step ${step}  ${parts.join("  ")}  (${imgsPerSec.toFixed(0)} img/s)`);
  };
}

/** Every `every` steps, call `take(step, trainer)` (e.g. to keep generated samples or a metric). */
export function every(n: number, take: (step: number, trainer: GanTrainer) => void | Promise<void>): TrainerCallback {
  return async ({ step, trainer }) => {
    if (step % n === 0) await take(step, trainer);
  };
}

/** Stop training (returning "stop") if any loss becomes NaN or infinite. */
export function stopOnNonFinite(): TrainerCallback {
  return ({ metrics }) => (Object.values(metrics).some((v) => !Number.isFinite(v)) ? "stop" : undefined);
}

/** Keep `n` generated samples every `every` steps in `frames` (for animations); tensors are owned by the caller. */
export function snapshotSamples(everySteps: number, z: tf.Tensor, frames: { step: number; samples: tf.Tensor }[]): TrainerCallback {
  return ({ step, trainer }) => {
    if (step % everySteps === 0) frames.push({ step, samples: trainer.generate(z.shape[0], { z }) });
  };
}
