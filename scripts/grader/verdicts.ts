/**
 * Grader side of the verdicts: starts the verdict process (sandbox/child.ts) for one submission,
 * feeds it the job, and supervises it - a deadline per exercise, a memory limit on the whole process
 * tree (RSS), and, if it dies or is killed, a fresh process for the exercises not yet graded (the one
 * it was on is failed with the reason). Messages without the job's nonce are ignored, and the
 * outcome of each exercise is checked against the case names the grader itself loaded.
 * GAN_GRADER_DEBUG=1 prints the verdict process's milestones with their times on stderr.
 */
import { ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { CaseOutcome, ChildJob, ExerciseJob, ExerciseOutcome } from "./sandbox/child";
import { watchMemory } from "./procs";

export interface SandboxCode {
  /** Bundles (scripts/grader/bundle.ts) of sandbox/child.ts and sandbox/worker.ts. */
  childJs: string;
  workerJs: string;
}

export interface VerdictOptions {
  repoRoot: string;
  code: SandboxCode;
  snapshot?: Map<string, string>;
  /** V8 code caches of the snapshot's modules, shared by all verdict processes (filled by the first). */
  codeCache?: Map<string, Buffer>;
  hiddenJs: string;
  /** Case names per exercise id, in order (from the grader's own load of the hidden tests). */
  caseNames: Map<string, string[]>;
  initTimeoutS: number;
  caseTimeoutS: number;
  /** RSS limit of the verdict process tree, MiB. */
  memoryMb: number;
  backend?: string;
  seed?: number;
}

const live = new Set<ChildProcess>();
let exitHook = false;

/** Kills every verdict process of this grader (for signal handlers; also done on exit). */
export function killAllVerdictProcesses(): void {
  for (const c of live) {
    try {
      c.kill("SIGKILL");
    } catch {
      /* gone */
    }
  }
  live.clear();
}

const BOOT = `
process.once("message", (m) => {
  const send = (msg) => { try { process.send({ nonce: m.job.nonce, ...msg }); } catch {} };
  let mod;
  try { mod = require("vm").runInThisContext(m.code, { filename: "grader-child.js" })(require); }
  catch (e) { send({ type: "fatal", message: "verdict process failed to load: " + (e && e.stack || e) }); return; }
  mod.main(m.job, send).then(
    () => { try { process.disconnect(); } catch {} },
    (e) => { send({ type: "fatal", message: String(e && e.stack || e) }); try { process.disconnect(); } catch {} },
  );
});
`;

interface ChildRun {
  outcomes: Map<string, ExerciseOutcome>;
  /** The exercise the process was on when it ended abnormally. */
  inProgress?: string;
  /** Why it ended abnormally. */
  failure?: string;
  /** The failure is the grader's (load error), not caused by an exercise. */
  fatal?: boolean;
}

function failAll(id: string, names: string[], message: string, internal = false): ExerciseOutcome {
  return {
    id,
    status: names.length ? "graded" : "error",
    message,
    internal,
    cases: names.map((name) => ({ name, passed: false, message, seconds: 0 })),
  };
}

/** Accepts an outcome only in the expected shape; pass/fail is all that is taken from it. */
function sanitize(o: unknown, id: string, names: string[]): ExerciseOutcome | null {
  if (!o || typeof o !== "object") return null;
  const x = o as Record<string, any>;
  if (x.id !== id || !Array.isArray(x.cases)) return null;
  const status = x.status === "error" ? "error" : "graded";
  const str = (v: unknown, n = 4_000) => (typeof v === "string" ? v.slice(0, n) : undefined);
  let cases: CaseOutcome[];
  if (x.cases.length === names.length) {
    cases = names.map((name, i) => {
      const c = x.cases[i] ?? {};
      return { name, passed: c.name === name && c.passed === true, message: str(c.message), seconds: typeof c.seconds === "number" ? c.seconds : 0 };
    });
  } else if (x.cases.length === 0 && status === "error") {
    cases = names.map((name) => ({ name, passed: false, message: str(x.message), seconds: 0 }));
  } else return null;
  return { id, status, message: str(x.message), internal: x.internal === true, cases, output: str(x.output, 20_000) };
}

function runChild(exercises: ExerciseJob[], opts: VerdictOptions): Promise<ChildRun> {
  const nonce = randomBytes(24).toString("hex");
  const job: ChildJob = {
    nonce,
    repoRoot: opts.repoRoot,
    snapshot: opts.snapshot,
    codeCache: opts.codeCache?.size ? opts.codeCache : undefined,
    hiddenJs: opts.hiddenJs,
    workerJs: opts.code.workerJs,
    exercises,
    initTimeoutMs: opts.initTimeoutS * 1000,
    caseTimeoutMs: opts.caseTimeoutS * 1000,
    workerHeapMb: Math.max(256, Math.floor(opts.memoryMb * 0.5)),
    backend: opts.backend,
    seed: opts.seed ?? 42,
  };
  const heapMb = Math.max(256, Math.floor(opts.memoryMb * 0.5));
  const run: ChildRun = { outcomes: new Map() };
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, "-e", BOOT], {
        cwd: opts.repoRoot,
        stdio: ["ignore", "pipe", "pipe", "ipc"],
        serialization: "advanced",
        env: { ...process.env },
      });
    } catch (e) {
      resolve({ ...run, failure: `cannot start the verdict process: ${(e as Error).message}`, fatal: true });
      return;
    }
    live.add(child);
    if (!exitHook) {
      exitHook = true;
      process.on("exit", killAllVerdictProcesses);
    }
    let stderr = "";
    child.stdout!.resume();
    child.stderr!.setEncoding("utf8").on("data", (s: string) => (stderr = (stderr + s).slice(-4_000)));
    let settled = false;
    let reason: string | undefined;
    let current: string | undefined;
    let ready = false;
    let timer: NodeJS.Timeout | undefined;
    const stopWatch = child.pid ? watchMemory(child.pid, opts.memoryMb, (mb) => {
      reason = `memory limit exceeded (${Math.round(mb)} MB > ${opts.memoryMb} MB)`;
      child.kill("SIGKILL");
    }) : () => {};
    const arm = (ms: number, why: string) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        reason = why;
        child.kill("SIGKILL");
      }, ms);
    };
    const finish = (extra: Partial<ChildRun>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stopWatch();
      live.delete(child);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      resolve({ ...run, ...extra });
    };
    arm(120_000, "the verdict process did not start within 120 s");
    const t0 = performance.now();
    const debug = process.env.GAN_GRADER_DEBUG ? (what: string) => console.error(`[verdicts ${child.pid}] ${((performance.now() - t0) / 1000).toFixed(2)} s ${what}`) : null;
    child.on("message", (raw: any) => {
      if (!raw || typeof raw !== "object" || raw.nonce !== nonce) return;
      debug?.(`${raw.type}${raw.id ? ` ${raw.id}` : ""}`);
      switch (raw.type) {
        case "code-cache":
          // Accepted only before any student code exists in that process (before "ready").
          if (!ready && opts.codeCache && raw.entries instanceof Map) {
            for (const [f, b] of raw.entries) if (typeof f === "string" && opts.snapshot?.has(f) && b instanceof Uint8Array) opts.codeCache.set(f, Buffer.from(b));
          }
          break;
        case "ready":
          ready = true;
          arm(30_000, "the verdict process stalled");
          break;
        case "start": {
          const ex = exercises.find((e) => e.id === raw.id);
          if (!ex) break;
          current = ex.id;
          const n = opts.caseNames.get(ex.id)?.length ?? 1;
          // Every case may start a fresh worker (after a timeout): init + case time each, plus slack.
          const budget = (opts.initTimeoutS + opts.caseTimeoutS) * Math.max(1, n) * 1000 + 20_000;
          arm(budget, `grading exercise ${ex.id} took longer than its time budget (${Math.round(budget / 1000)} s)`);
          break;
        }
        case "exercise": {
          const names = opts.caseNames.get(raw.id) ?? [];
          const ok = exercises.some((e) => e.id === raw.id) ? sanitize(raw.outcome, raw.id, names) : null;
          if (ok) run.outcomes.set(raw.id, ok);
          current = undefined;
          arm(30_000, "the verdict process stalled");
          break;
        }
        case "done":
          finish({});
          break;
        case "fatal":
          finish({ failure: String(raw.message ?? "verdict process failed").slice(0, 4_000), fatal: true });
          break;
      }
    });
    child.on("error", (e) => finish({ failure: `verdict process error: ${e.message}`, inProgress: current }));
    child.on("exit", (code, signal) => {
      if (settled) return;
      const tail = stderr.trim().split("\n").slice(-3).join(" | ");
      const why = reason ?? `the grading process ended unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`})${tail ? `: ${tail}` : ""}`;
      finish({ failure: ready ? why : `the verdict process failed to start: ${why}`, inProgress: current, fatal: !ready });
    });
    child.send({ code: opts.code.childJs, job }, (err) => {
      if (err) finish({ failure: `cannot send the job to the verdict process: ${err.message}`, fatal: true });
    });
  });
}

/**
 * Grades the given exercises in verdict processes; always returns one outcome per exercise (an
 * internal failure becomes an outcome with `internal: true`).
 */
export async function runVerdicts(exercises: ExerciseJob[], opts: VerdictOptions): Promise<Map<string, ExerciseOutcome>> {
  const results = new Map<string, ExerciseOutcome>();
  let remaining = exercises.slice();
  let attempts = 0;
  while (remaining.length && attempts <= exercises.length + 1) {
    attempts++;
    const r = await runChild(remaining, opts);
    for (const [id, o] of r.outcomes) results.set(id, o);
    remaining = remaining.filter((e) => !results.has(e.id));
    if (!remaining.length) break;
    if (r.fatal) {
      for (const e of remaining) results.set(e.id, failAll(e.id, opts.caseNames.get(e.id) ?? [], `internal error: ${r.failure}`, true));
      remaining = [];
      break;
    }
    const culprit = r.inProgress ?? remaining[0].id;
    const failure = r.failure ?? "the grading process ended unexpectedly";
    results.set(culprit, failAll(culprit, opts.caseNames.get(culprit) ?? [], failure));
    remaining = remaining.filter((e) => e.id !== culprit);
  }
  for (const e of remaining) results.set(e.id, failAll(e.id, opts.caseNames.get(e.id) ?? [], "internal error: the grading process kept failing", true));
  return results;
}
