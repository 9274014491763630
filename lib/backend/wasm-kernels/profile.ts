/**
 * Per-kernel wall-clock profile of a piece of tfjs code on a synchronous backend (wasm, cpu).
 *
 * Why not tf.profile: it awaits every kernel's timing and records tensor bookkeeping, which
 * distorts a training step. Here every kernel registered for the backend is wrapped with a timer
 * for the duration of `fn` and restored afterwards. Kernels our composite kernels call internally
 * are counted in their caller (they bypass the registry). Used by scripts/bench.ts --profile.
 */
import * as tf from "@tensorflow/tfjs";

export interface KernelTiming {
  kernel: string;
  calls: number;
  ms: number;
}

/** Milliseconds of process CPU time (all threads): robust to other processes sharing the cores. */
export function cpuClockMs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

/**
 * Run `fn` with every kernel of `backendName` timed. `clock` is wall time (performance.now) or
 * process CPU time (cpuClockMs; counts the wasm worker threads too, ignores time other processes
 * take from us on a busy machine).
 */
export async function profileKernels(
  backendName: string, fn: () => unknown | Promise<unknown>, clock: () => number = () => performance.now(),
): Promise<KernelTiming[]> {
  const stats = new Map<string, KernelTiming>();
  const configs = tf.getKernelsForBackend(backendName);
  for (const config of configs) {
    const timing: KernelTiming = { kernel: config.kernelName, calls: 0, ms: 0 };
    stats.set(config.kernelName, timing);
    const inner = config.kernelFunc;
    tf.unregisterKernel(config.kernelName, backendName);
    tf.registerKernel({
      ...config,
      kernelFunc: ((args: Parameters<tf.KernelFunc>[0]) => {
        const t0 = clock();
        try {
          return inner(args);
        } finally {
          timing.ms += clock() - t0;
          timing.calls += 1;
        }
      }) as tf.KernelFunc,
    });
  }
  try {
    await fn();
  } finally {
    for (const config of configs) {
      tf.unregisterKernel(config.kernelName, backendName);
      tf.registerKernel(config);
    }
  }
  return [...stats.values()].filter((t) => t.calls > 0).sort((a, b) => b.ms - a.ms);
}
