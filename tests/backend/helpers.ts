/**
 * Helpers for the wasm-kernel tests: deterministic data, and "compute on cpu, read the values,
 * switch to wasm (with our kernels, as setupLesson installs them), compute again, compare".
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/backend/select";
import { createRng } from "../../lib/random";

/** Deterministic standard-normal values. */
export function randn(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.normal());
}

export function tensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(randn(shape.reduce((a, b) => a * b, 1), seed), shape);
}

/** max |a - b| / max |a| (0 when both are exactly equal). */
export function relErr(expected: ArrayLike<number>, actual: ArrayLike<number>): number {
  if (expected.length !== actual.length) return Infinity;
  let num = 0, den = 0;
  for (let i = 0; i < expected.length; i++) {
    num = Math.max(num, Math.abs(expected[i] - actual[i]));
    den = Math.max(den, Math.abs(expected[i]));
  }
  return num === 0 ? 0 : num / Math.max(den, 1e-30);
}

/** wasm with the course's kernels (what setupLesson does), once per test file. */
export async function useWasm(): Promise<void> {
  if (tf.getBackend() !== "wasm") await initBackend("wasm");
}

export async function useCpu(): Promise<void> {
  if (tf.getBackend() !== "cpu") await tf.setBackend("cpu");
}

/** Run `compute` (returning tensors, read inside a tidy) on cpu and on wasm; returns both value lists. */
export async function onCpuAndWasm(compute: () => tf.Tensor[]): Promise<{ cpu: Float32Array[]; wasm: Float32Array[]; shapes: number[][] }> {
  const read = () => tf.tidy(() => compute().map((t) => ({ values: Float32Array.from(t.dataSync() as ArrayLike<number>), shape: t.shape })));
  await useCpu();
  const cpu = read();
  await useWasm();
  const wasm = read();
  return { cpu: cpu.map((r) => r.values), wasm: wasm.map((r) => r.values), shapes: wasm.map((r) => r.shape) };
}

/** `compute` on wasm (values read), e.g. again with another kernel path switched on. */
export async function onWasm(compute: () => tf.Tensor[]): Promise<Float32Array[]> {
  await useWasm();
  return tf.tidy(() => compute().map((t) => Float32Array.from(t.dataSync() as ArrayLike<number>)));
}
