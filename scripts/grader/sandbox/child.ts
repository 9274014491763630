/**
 * The verdict process: one per submission (restarted if it dies), started by verdicts.ts with the
 * hidden tests, the worker bundle and a snapshot of the library code in its first IPC message.
 *
 * Its main thread is the trusted realm: its own TensorFlow.js (cpu backend) and gan-course, loaded
 * from the snapshot before any student code exists in this process. For each exercise it starts a
 * fresh worker thread (worker.ts) that evaluates the exercise's slice, then runs the exercise's
 * hidden test cases here, calling the student's functions through the membrane. A worker is thrown
 * away after its exercise, or after a case timed out (it may still be spinning).
 *
 * Messages to the grader carry the nonce it sent (student code in workers cannot read it: it lives
 * only in this thread's heap), and the grader recomputes scores from pass/fail itself.
 */
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";
import { Side, TimeoutError } from "./membrane";
import { installSnapshot } from "./snapshot-loader";

export interface ExerciseJob {
  id: string;
  /** Slice JavaScript (empty when `compileError` is set). */
  js: string;
  compileError?: string;
  /** Names the worker exports (student's declarations ∪ expected). */
  names: string[];
  /** Names the instructor's cell defines: missing ones fail every case with a clear message. */
  expected: string[];
  allowedModules: string[];
}

export interface ChildJob {
  nonce: string;
  repoRoot: string;
  snapshot?: Map<string, string>;
  /** V8 code caches of snapshot modules (from earlier verdict processes). */
  codeCache?: Map<string, Buffer>;
  hiddenJs: string;
  workerJs: string;
  exercises: ExerciseJob[];
  initTimeoutMs: number;
  caseTimeoutMs: number;
  workerHeapMb: number;
  /** GAN_COURSE_BACKEND for the workers (the student side), or undefined for setupLesson's choice. */
  backend?: string;
  seed: number;
}

export interface CaseOutcome {
  name: string;
  passed: boolean;
  message?: string;
  seconds: number;
}

export interface ExerciseOutcome {
  id: string;
  /** graded: cases ran. error: nothing could run (compile error, setup failure, no tests). */
  status: "graded" | "error";
  /** Why every case failed, or a note (e.g. "your cell threw while being defined: …"). */
  message?: string;
  /** True when the failure is the grader's or the lesson's, not the student's. */
  internal?: boolean;
  cases: CaseOutcome[];
  /** The exercise's console output in the grading context (instructor diagnostics). */
  output?: string;
}

type Send = (msg: Record<string, unknown>) => void;

function errorMessage(e: unknown): string {
  if (e instanceof TimeoutError) return `time limit exceeded: ${e.message}`;
  if (e && typeof e === "object" && typeof (e as Error).message === "string") {
    const name = typeof (e as Error).name === "string" && (e as Error).name !== "Error" && (e as Error).name !== "CheckError" ? `${(e as Error).name}: ` : "";
    return `${name}${(e as Error).message}`.slice(0, 4_000);
  }
  return String(e).slice(0, 4_000);
}

interface Running {
  worker: Worker;
  /** Set when the worker died (out of memory, …) after it was ready. */
  death?: string;
  side: Side;
  exports: Record<string, unknown>;
  initNote?: string;
  missing: string[];
  output: string;
}

export async function main(job: ChildJob, send: Send): Promise<void> {
  const installed = installSnapshot(job.snapshot, job.codeCache);
  const hostRequire = createRequire(path.join(job.repoRoot, "package.json"));
  const tf = hostRequire("@tensorflow/tfjs");
  const lib = hostRequire("gan-course");
  await lib.setupLesson({ seed: job.seed, backend: "cpu", verbose: false });
  try {
    hostRequire("@tensorflow/tfjs-backend-wasm"); // compiled here once, so that workers get its code cache
  } catch {
    /* not installed */
  }
  const produced = installed.collect();
  if (produced.size) {
    job.codeCache = new Map([...(job.codeCache ?? []), ...produced]);
    send({ type: "code-cache", entries: produced });
  }
  let tests: Record<string, { name: string; points: number; run: (ctx: unknown) => unknown }[]>;
  try {
    const mod = vm.runInThisContext(job.hiddenJs, { filename: "hidden-tests.js" })(hostRequire);
    tests = mod.default ?? mod;
  } catch (e) {
    send({ type: "fatal", message: `the hidden tests failed to load: ${errorMessage(e)}` });
    return;
  }
  send({ type: "ready" });

  for (const ex of job.exercises) {
    send({ type: "start", id: ex.id });
    const outcome = await gradeExercise(ex, tests[ex.id] ?? [], job, tf, lib);
    send({ type: "exercise", id: ex.id, outcome });
  }
  send({ type: "done" });
}

async function startWorker(ex: ExerciseJob, job: ChildJob, tf: unknown): Promise<Running | { fatal: string; internal?: boolean; output?: string }> {
  const channel = new MessageChannel();
  const signal = new SharedArrayBuffer(8);
  const env: Record<string, string> = {};
  if (job.backend) env.GAN_COURSE_BACKEND = job.backend;
  const worker = new Worker(`require("vm").runInThisContext(require("worker_threads").workerData.code, { filename: "grader-worker.js" })(require);`, {
    eval: true,
    workerData: {
      code: job.workerJs,
      port: channel.port2,
      signal,
      snapshot: job.snapshot,
      codeCache: job.codeCache,
      repoRoot: job.repoRoot,
      js: ex.js,
      names: ex.names,
      allowedModules: ex.allowedModules,
      outputCapChars: 20_000,
    },
    transferList: [channel.port2 as any],
    env,
    argv: [],
    execArgv: [],
    stdout: true,
    stderr: true,
    resourceLimits: { maxOldGenerationSizeMb: job.workerHeapMb, maxYoungGenerationSizeMb: 64, stackSizeMb: 4 },
  });
  worker.stdout.resume();
  worker.stderr.resume();
  const side = new Side({ port: channel.port1, signal: new Int32Array(signal), side: "trusted", tf, receiveMessageOnPort: receiveMessageOnPort as any });

  const ready = await new Promise<any>((resolve) => {
    const timer = setTimeout(() => resolve({ t: "timeout" }), job.initTimeoutMs);
    worker.once("message", (m) => {
      clearTimeout(timer);
      resolve(m);
    });
    worker.once("error", (e) => {
      clearTimeout(timer);
      resolve({ t: "error", e });
    });
    worker.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ t: "exit", code });
    });
  });
  const fail = (fatal: string, internal = false, output?: string) => {
    void worker.terminate();
    channel.port1.close();
    return { fatal, internal, output };
  };
  if (!ready || typeof ready !== "object") return fail("the grading context sent no answer", true);
  if (ready.t === "timeout") {
    return fail(`your exercise cell did not finish running within ${job.initTimeoutMs / 1000} s (is there a loop at the top level of the cell?)`);
  }
  if (ready.t === "error") {
    const e = ready.e as { code?: string; message?: string };
    if (e?.code === "ERR_WORKER_OUT_OF_MEMORY") return fail(`your exercise cell ran out of memory while being defined (limit ${job.workerHeapMb} MB)`);
    return fail(`the exercise's grading context crashed: ${e?.message ?? e}`);
  }
  if (ready.t === "exit") return fail(`the exercise's grading context ended (exit code ${ready.code}) while your cell was being defined`);
  if (ready.t !== "ready") return fail("the grading context sent an unexpected message", true);

  const output = typeof ready.output === "string" ? ready.output : "";
  const initError = ready.initError as { name?: string; message?: string } | null;
  if (initError && ready.stage !== "student") {
    return fail(`the lesson's own setup code failed in the grading context: ${initError.name}: ${initError.message}`, true, output);
  }
  if (ready.exportError) {
    return fail(`the values your cell defines cannot be passed to the tests: ${ready.exportError.message}`);
  }
  let exportsObj: Record<string, unknown>;
  try {
    const decoded = side.decode(ready.exports);
    exportsObj = decoded && typeof decoded === "object" && !Array.isArray(decoded) ? (decoded as Record<string, unknown>) : {};
  } catch (e) {
    return fail(`the values your cell defines cannot be passed to the tests: ${errorMessage(e)}`);
  }
  const missing = ex.expected.filter((n) => exportsObj[n] === undefined);
  const initNote = initError ? `your exercise cell threw while being defined: ${initError.name}: ${initError.message}` : undefined;
  const running: Running = { worker, side, exports: exportsObj, initNote, missing, output };
  worker.on("error", (e: any) => {
    running.death ??= e?.code === "ERR_WORKER_OUT_OF_MEMORY" ? `the exercise ran out of memory (heap limit ${job.workerHeapMb} MB)` : `the exercise's grading context crashed: ${e?.message ?? e}`;
  });
  worker.on("exit", (code) => {
    running.death ??= `the exercise's grading context ended (exit code ${code})`;
  });
  return running;
}

async function gradeExercise(
  ex: ExerciseJob,
  cases: { name: string; points: number; run: (ctx: unknown) => unknown }[],
  job: ChildJob,
  tf: any,
  lib: any,
): Promise<ExerciseOutcome> {
  if (!cases.length) return { id: ex.id, status: "error", internal: true, message: `no hidden tests for exercise ${ex.id}`, cases: [] };
  if (ex.compileError) {
    return {
      id: ex.id,
      status: "error",
      message: `your exercise cell does not compile: ${ex.compileError}`,
      cases: cases.map((c) => ({ name: c.name, passed: false, message: "the exercise cell does not compile", seconds: 0 })),
    };
  }
  const results: CaseOutcome[] = [];
  let running: Running | null = null;
  let note: string | undefined;
  let output = "";
  try {
    for (let i = 0; i < cases.length; i++) {
      const c = cases[i];
      const t0 = performance.now();
      if (!running) {
        const started = await startWorker(ex, job, tf);
        if ("fatal" in started) {
          output = started.output ?? output;
          for (const rest of cases.slice(i)) results.push({ name: rest.name, passed: false, message: started.fatal, seconds: 0 });
          const status = i === 0 ? "error" : "graded";
          return { id: ex.id, status, internal: started.internal, message: started.fatal, cases: results, output };
        }
        running = started;
        note ??= started.initNote;
        output = started.output;
      }
      if (running.missing.length) {
        const names = running.missing.map((n) => `\`${n}\``).join(", ");
        const msg = `your exercise cell does not define ${names}${running.initNote ? ` (${running.initNote})` : ""}`;
        results.push({ name: c.name, passed: false, message: msg, seconds: 0 });
        continue;
      }
      lib.reseed(job.seed);
      const ctx = { exports: running.exports, tf, lib };
      running.side.deadline = performance.now() + job.caseTimeoutMs;
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new TimeoutError(`the test case did not finish within ${job.caseTimeoutMs / 1000} s`)), job.caseTimeoutMs);
        });
        await Promise.race([Promise.resolve().then(() => c.run(ctx)), timeout]);
        results.push({ name: c.name, passed: true, seconds: (performance.now() - t0) / 1000 });
      } catch (e) {
        if (e instanceof TimeoutError) running.side.poisoned = true;
        let message = errorMessage(e);
        if (running.side.poisoned) {
          // A worker that died mid-call (e.g. out of memory) cannot say so while this thread waits:
          // let its events arrive, then report the real cause.
          await new Promise((r) => setTimeout(r, 50));
          if (running.death) message = running.death;
        }
        results.push({ name: c.name, passed: false, message, seconds: (performance.now() - t0) / 1000 });
      } finally {
        clearTimeout(timer);
        running.side.deadline = Infinity;
      }
      if (running.side.poisoned) {
        await running.worker.terminate();
        running = null;
      }
    }
  } finally {
    if (running) await running.worker.terminate();
  }
  return { id: ex.id, status: "graded", message: note, cases: results, output };
}
