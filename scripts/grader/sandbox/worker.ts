/**
 * The student's side of one graded exercise: a worker thread (fresh V8 isolate: its own globals,
 * its own TensorFlow.js and gan-course) that evaluates the exercise's slice - the lesson's setup
 * cell, the earlier cells it depends on, the student's exercise cell (scripts/grader/slice.ts) - and
 * then answers the hidden test's calls through the membrane (membrane.ts).
 *
 * Before any student code runs, the process-wide escape hatches of the worker's `process` object
 * are replaced by functions that throw (exit, abort, kill, dlopen, binding, getBuiltinModule), and
 * console output is captured (capped) instead of reaching the verdict process's stdout. Student code
 * gets no `require`: `import` in its cells goes through `__import`, limited to the modules the
 * lesson itself imports.
 *
 * Bundled by scripts/grader/bundle.ts and started with `eval: true` by child.ts.
 */
import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { createRequire } from "node:module";
import path from "node:path";
import util from "node:util";
import vm from "node:vm";
import { Side } from "./membrane";
import { installSnapshot } from "./snapshot-loader";

export interface WorkerInit {
  port: unknown;
  signal: SharedArrayBuffer;
  snapshot?: Map<string, string>;
  codeCache?: Map<string, Buffer>;
  repoRoot: string;
  /** The slice's JavaScript: setup and dependency cells, then `__mark("student")`, then the exercise cell. */
  js: string;
  /** Names to hand to the tests (the exercise cell's top-level declarations and the expected names). */
  names: string[];
  allowedModules: string[];
  outputCapChars: number;
}

const init = workerData as WorkerInit;
installSnapshot(init.snapshot, init.codeCache);
const hostRequire = createRequire(path.join(init.repoRoot, "package.json"));
const allowed = new Set(init.allowedModules);

// Captured console output (for the instructor's diagnostics; never shown to students).
let captured = "";
let dropped = 0;
const capture = (s: string) => {
  const room = init.outputCapChars - captured.length;
  if (room > 0) captured += s.slice(0, room);
  if (s.length > room) dropped += s.length - Math.max(room, 0);
};
for (const k of ["log", "info", "warn", "error", "debug", "trace", "dir", "table"] as const) {
  (console as any)[k] = (...args: unknown[]) => capture(util.format(...args) + "\n");
}
for (const stream of [process.stdout, process.stderr]) {
  (stream as any).write = (chunk: unknown, ...rest: unknown[]) => {
    capture(typeof chunk === "string" ? chunk : String(chunk));
    const cb = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    cb?.();
    return true;
  };
}

function importModule(name: string, asDefault?: boolean): unknown {
  if (typeof name !== "string" || !allowed.has(name)) {
    throw new Error(`graded exercises cannot import "${String(name)}" (available: ${[...allowed].join(", ")})`);
  }
  const m = hostRequire(name);
  return asDefault ? (m && m.__esModule ? m.default : m) : m;
}

const tf = hostRequire("@tensorflow/tfjs");
// What the membrane uses to read the student's tensors, captured before student code can patch it.
const TensorClass = tf.Tensor;
const dataSync = TensorClass.prototype.dataSync;
const apply = Reflect.apply;

const deny = (what: string) =>
  function denied() {
    throw new Error(`${what} is not available to graded code`);
  };
for (const k of [
  "exit",
  "reallyExit",
  "abort",
  "kill",
  "_kill",
  "dlopen",
  "binding",
  "_linkedBinding",
  "getBuiltinModule",
  "chdir",
  "setuid",
  "setgid",
  "seteuid",
  "setegid",
  "setgroups",
  "initgroups",
  "_debugProcess",
  "_debugEnd",
  "_startProfilerIdleNotifier",
  "_stopProfilerIdleNotifier",
]) {
  try {
    Object.defineProperty(process, k, { value: deny(`process.${k}`), writable: false, configurable: false, enumerable: false });
  } catch {
    /* not configurable here: leave it */
  }
}
process.on("uncaughtException", () => {});
process.on("unhandledRejection", () => {});

const side = new Side({
  port: init.port,
  signal: new Int32Array(init.signal),
  side: "worker",
  tf,
  receiveMessageOnPort: receiveMessageOnPort as any,
  tensorClass: TensorClass,
  readTensor: (t) => apply(dataSync, t, []) as ArrayLike<unknown>,
});
(init.port as any).on("message", (msg: any) => {
  if (msg && msg.t === "req") void side.serve(msg);
});

function describe(e: unknown): { name: string; message: string; stack?: string } {
  try {
    if (e && typeof e === "object") {
      return { name: String((e as any).name ?? "Error"), message: String((e as any).message ?? e).slice(0, 20_000), stack: String((e as any).stack ?? "").slice(0, 20_000) };
    }
    return { name: "Error", message: String(e).slice(0, 20_000) };
  } catch {
    return { name: "Error", message: "an exception that cannot be described" };
  }
}

async function main(): Promise<void> {
  const exportList = init.names.map((n) => `${JSON.stringify(n)}: typeof ${n} === "undefined" ? undefined : ${n}`).join(", ");
  const source = `(async function (__import, __expose, __mark) {\n"use strict";\n__expose(function () { return { ${exportList} }; });\n${init.js}\n})`;
  let stage = "setup";
  let getExports: (() => Record<string, unknown>) | null = null;
  let initError: ReturnType<typeof describe> | null = null;
  try {
    const fn = vm.runInThisContext(source, { filename: "exercise.js" });
    await fn(
      importModule,
      (f: () => Record<string, unknown>) => {
        getExports ??= f;
      },
      (s: string) => {
        if (s === "student") stage = "student";
      },
    );
  } catch (e) {
    initError = describe(e);
  }
  let exportsEncoded: unknown = null;
  let exportError: ReturnType<typeof describe> | null = null;
  try {
    const values = getExports ? (getExports as () => Record<string, unknown>)() : {};
    exportsEncoded = side.encode(values);
  } catch (e) {
    exportError = describe(e);
  }
  parentPort!.postMessage({ t: "ready", exports: exportsEncoded, initError, stage, exportError, output: captured, dropped });
}

void main();
