/**
 * Backend selection: the fastest TensorFlow.js backend this machine has.
 *
 * Order: `tensorflow` (native libtensorflow via @tensorflow/tfjs-node, an optional dependency that
 * cannot install offline), then `wasm` (@tensorflow/tfjs-backend-wasm, completed with our own
 * training kernels, see ./wasm-kernels), then `cpu` (pure JavaScript, slow for conv nets).
 * The environment variable GAN_COURSE_BACKEND forces one of them.
 *
 * Nothing here runs on import: backends are loaded with `require` inside `initBackend`, so that
 * importing lib changes no global state.
 */
import * as tf from "@tensorflow/tfjs";
import { prepareWasmBackend, registerWasmTrainingKernels } from "./wasm-kernels";

export type BackendName = "tensorflow" | "wasm" | "cpu";
export const BACKEND_ORDER: readonly BackendName[] = ["tensorflow", "wasm", "cpu"];
export const BACKEND_ENV = "GAN_COURSE_BACKEND";

export interface BackendInfo {
  name: BackendName;
  /** Threads the backend computes with (1 for cpu and stock wasm in Node). */
  threads: number;
  /** Why a faster backend was skipped, e.g. "tensorflow: @tensorflow/tfjs-node is not installed". */
  skipped: string[];
}

/** Load a backend's package (registering it with the tfjs engine) and make it current. */
async function tryBackend(name: BackendName): Promise<void> {
  if (name === "tensorflow") {
    // Registers the "tensorflow" backend as a side effect of loading; throws when absent.
    require("@tensorflow/tfjs-node");
  } else if (name === "wasm") {
    require("@tensorflow/tfjs-backend-wasm");
    prepareWasmBackend(); // threaded build on multi-core machines ($GAN_COURSE_WASM_THREADS overrides)
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend("${name}") returned false`);
  await tf.ready();
  if (name === "wasm") registerWasmTrainingKernels();
}

function describe(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/Cannot find module '@tensorflow\/tfjs-node'/.test(msg)) return "@tensorflow/tfjs-node is not installed";
  return msg.split("\n")[0];
}

/** The thread count of the active backend, where it can tell. */
function threadsOf(name: BackendName): number {
  if (name === "wasm") {
    const wasm = require("@tensorflow/tfjs-backend-wasm");
    return typeof wasm.getThreadsCount === "function" ? wasm.getThreadsCount() : 1;
  }
  if (name === "tensorflow") return require("os").cpus().length;
  return 1;
}

/**
 * Pick and initialise a backend. `forced` (or $GAN_COURSE_BACKEND) names one; an unavailable forced
 * backend is an error, never a silent fallback.
 */
export async function initBackend(forced?: BackendName): Promise<BackendInfo> {
  const fromEnv = process.env[BACKEND_ENV] as BackendName | undefined;
  const want = forced ?? (fromEnv || undefined);
  if (want !== undefined) {
    if (!BACKEND_ORDER.includes(want)) {
      throw new Error(`Unknown backend "${want}" (from ${forced ? "setupLesson" : BACKEND_ENV}); use one of ${BACKEND_ORDER.join(", ")}`);
    }
    try {
      await tryBackend(want);
    } catch (e) {
      throw new Error(`Backend "${want}" was requested but cannot start: ${describe(e)}`);
    }
    return { name: want, threads: threadsOf(want), skipped: [] };
  }
  const skipped: string[] = [];
  for (const name of BACKEND_ORDER) {
    try {
      await tryBackend(name);
      return { name, threads: threadsOf(name), skipped };
    } catch (e) {
      skipped.push(`${name}: ${describe(e)}`);
    }
  }
  throw new Error(`No TensorFlow.js backend could start:\n  ${skipped.join("\n  ")}`);
}
