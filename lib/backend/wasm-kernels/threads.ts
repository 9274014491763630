/**
 * Multithreaded wasm backend in Node.
 *
 * @tensorflow/tfjs-backend-wasm ships a threaded SIMD build (XNNPACK on a pthreadpool of web
 * workers) but never uses it in Node, for two reasons we work around here:
 *  1. its feature flag WASM_HAS_MULTITHREAD_SUPPORT is hard-wired to false under Node
 *     (tensorflow/tfjs#3830), and its loader hands the pthread worker script and the main script
 *     to the workers as Blob URLs, which Node's worker_threads cannot load. We instead load the
 *     same Emscripten module with the worker script written to a real file and the main script
 *     given by path (Emscripten's Node support does the rest with worker_threads).
 *  2. the C++ side caps the pool at emscripten_num_logical_cores() / 2 (it assumes two hyper-
 *     threads per core), read once while the module starts. On a 2-core machine without SMT that
 *     is 1 thread whatever setThreadsCount asks. While the module starts we therefore report
 *     2 x threads logical cores (a scoped override of os.cpus, restored right after).
 * If anything fails we fall back to the stock single-threaded loader, with a warning.
 *
 * `prepareWasmBackend` must run before tf.setBackend("wasm") initialises the backend.
 */
import * as tf from "@tensorflow/tfjs";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Environment variable overriding the wasm thread count (1 = stock single-threaded build). */
export const WASM_THREADS_ENV = "GAN_COURSE_WASM_THREADS";
/** The threaded build pre-spawns 8 workers; XNNPACK's pool cannot use more. */
export const MAX_WASM_THREADS = 8;

/**
 * Threads to use: $GAN_COURSE_WASM_THREADS, else one per idle core (cores minus the 1-minute load
 * average, rounded; at least 1, at most 8). Why idle cores: XNNPACK's pool threads spin between
 * operators, so on a machine already running other jobs (parallel tests, a shared server) a
 * second thread measured up to 1.7x slower per step while burning 60% more CPU. The result of
 * every op is the same for any thread count (each output element is computed by one thread).
 */
export function defaultWasmThreads(cores = os.cpus().length, load = os.loadavg()[0]): number {
  const env = process.env[WASM_THREADS_ENV];
  if (env !== undefined && env !== "") {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${WASM_THREADS_ENV} must be a positive integer, got "${env}"`);
    return Math.min(n, MAX_WASM_THREADS);
  }
  const idle = Math.round(cores - load);
  return Math.max(1, Math.min(idle, cores, MAX_WASM_THREADS));
}

type WasmModule = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Load tfjs-backend-wasm's threaded SIMD Emscripten module in Node with `threads` logical cores. */
async function loadThreadedModule(threads: number): Promise<WasmModule> {
  if (typeof SharedArrayBuffer === "undefined") throw new Error("SharedArrayBuffer is unavailable");
  const mainScript = require.resolve("@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js");
  const dir = path.dirname(mainScript);
  const factory = require(mainScript) as (config: Record<string, unknown>) => Promise<WasmModule>;
  const { wasmWorkerContents } = require(path.join(dir, "tfjs-backend-wasm-threaded-simd.worker.js")) as {
    wasmWorkerContents: string;
  };
  // The worker source as tfjs would put it in a Blob (its string literals need "\n" escaped back).
  const workerSource = wasmWorkerContents.replace(/\n/g, "\\n");
  const hash = crypto.createHash("sha1").update(workerSource).digest("hex").slice(0, 12);
  const workerFile = path.join(os.tmpdir(), `gan-course-tfjs-wasm-worker-${hash}.js`);
  if (!fs.existsSync(workerFile) || fs.readFileSync(workerFile, "utf8") !== workerSource) {
    const tmp = `${workerFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, workerSource);
    fs.renameSync(tmp, workerFile);
  }
  // The module object Emscripten's glue reads (not an ES-module namespace copy of it).
  const nodeOs = require("os") as { cpus: typeof os.cpus };
  const realCpus = nodeOs.cpus;
  const cpus = realCpus.call(nodeOs);
  nodeOs.cpus = () => Array.from({ length: 2 * threads }, (_, i) => cpus[i % cpus.length]);
  let mod: WasmModule;
  try {
    mod = await factory({
      mainScriptUrlOrBlob: mainScript,
      locateFile: (file: string) => (file.endsWith(".worker.js") ? workerFile : path.join(dir, file)),
    });
  } finally {
    nodeOs.cpus = realCpus;
  }
  // The same JS <-> wasm bridge tfjs-backend-wasm's own loader installs.
  mod.tfjs = {
    init: mod.cwrap("init", null, []),
    initWithThreadsCount: mod.cwrap("init_with_threads_count", null, ["number"]),
    getThreadsCount: mod.cwrap("get_threads_count", "number", []),
    registerTensor: mod.cwrap("register_tensor", null, ["number", "number", "number"]),
    disposeData: mod.cwrap("dispose_data", null, ["number"]),
    dispose: mod.cwrap("dispose", null, []),
  };
  return mod;
}

let prepared: number | null = null;
let originalFactory: (() => tf.KernelBackend | Promise<tf.KernelBackend>) | null = null;

/**
 * Make the next initialisation of the "wasm" backend use `threads` XNNPACK threads (threaded SIMD
 * build). No-op for 1 thread, outside Node, or when the wasm backend is already initialised.
 * Returns the thread count that will be requested.
 */
export function prepareWasmBackend(threads: number = defaultWasmThreads()): number {
  const engine = tf.engine();
  if (engine.registry["wasm"] != null) return prepared ?? 1; // already running: too late to change
  const isNode = typeof process !== "undefined" && process.versions?.node != null;
  if (!isNode || threads <= 1 || prepared === threads) return prepared ?? 1;
  const wasmPkg = require("@tensorflow/tfjs-backend-wasm");
  const stock = engine.registryFactory["wasm"];
  if (stock == null) throw new Error("prepareWasmBackend: load @tensorflow/tfjs-backend-wasm first");
  const stockFactory = prepared == null ? stock.factory : originalFactory!;
  originalFactory = stockFactory;
  tf.removeBackend("wasm");
  tf.registerBackend("wasm", async () => {
    try {
      const mod = await loadThreadedModule(threads);
      wasmPkg.setThreadsCount(threads);
      const backend = new wasmPkg.BackendWasm(mod); // creates XNNPACK's thread pool
      // Emscripten keeps a running pthread's worker referenced, so the pool's idle threads would
      // keep Node alive forever after a script ends. Work only runs while the main thread waits
      // for it, so nothing is lost by letting the process exit when its event loop is empty.
      for (const worker of mod.PThread?.runningWorkers ?? []) worker.unref?.();
      return backend;
    } catch (e) {
      console.warn(`gan-course: threaded wasm unavailable (${(e as Error).message}); using 1 thread`);
      wasmPkg.setThreadsCount(1);
      return stockFactory();
    }
  }, stock.priority);
  prepared = threads;
  return threads;
}
