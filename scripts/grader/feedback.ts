/**
 * The feedback run: the graded notebook (submission.ts) executed headlessly on a fresh tslab kernel
 * (scripts/runner's Kernel), for the executed copy the student gets back and for the report
 * ("cell 7 threw …"). It never decides a score - verdicts come from the isolated runs, which happen
 * before this one, so nothing this run does can change them.
 *
 * Unlike `npm run course`, it keeps going after a failing cell (as nbconvert --allow-errors), within:
 * - a per-cell time limit (the instructor's cell metadata for lesson cells, the default for the
 *   student's cells) and a total time limit for the notebook;
 * - a memory limit: the V8 heap (--max-old-space-size) plus the RSS of the kernel's process tree,
 *   polled (kernel killed when over);
 * - an output limit: a cell still printing after `outputKillChars` characters is interrupted (then
 *   killed), and stored outputs are truncated to `outputKeepChars` per output. The kernel is started
 *   with tslab-send-queue.cjs preloaded: without it tslab loses messages when a cell prints a few
 *   hundred lines at once, and the cell never reports its end.
 * Processes the notebook started are killed when it ends. A dead kernel ends the run: the remaining
 * cells are marked not run.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Kernel } from "../runner/kernel";
import type { Notebook } from "../runner/notebook";
import { cellSource } from "../runner/notebook";
import { DisplayRegistry, NbOutput, stripAnsi } from "../runner/outputs";
import { killDescendants, watchMemory } from "./procs";

/** Preload for tslab kernels: ordered, bounded iopub sends (see the file). */
export const SEND_QUEUE = path.join(path.dirname(fileURLToPath(import.meta.url)), "tslab-send-queue.cjs");

export interface FeedbackOptions {
  /** Kernel working directory (module resolution of imports starts here). */
  cwd: string;
  cellTimeoutS: number;
  totalTimeoutS: number;
  memoryMb: number;
  /** Per-cell time limits of lesson cells, by cell id (instructor metadata). */
  cellTimeouts?: Map<string, number>;
  /** Interrupt a cell after this many characters of text output (25 times as much for rich displays). Default 2,000,000. */
  outputKillChars?: number;
  /** Keep at most this many characters of each stored output. Default 20,000. */
  outputKeepChars?: number;
  env?: Record<string, string | undefined>;
}

export type FeedbackCellStatus = "ok" | "error" | "timeout" | "died" | "aborted" | "memory" | "output-limit" | "not-run";

export interface FeedbackCell {
  /** 1-based index in the graded notebook. */
  index: number;
  id: string;
  status: FeedbackCellStatus;
  /** One line: "TypeError: x is not a function". */
  error?: string;
  seconds: number;
}

export interface FeedbackRun {
  ok: boolean;
  /** Kernel start failure, total time limit, … */
  notes: string[];
  cells: FeedbackCell[];
  seconds: number;
  /** The executed notebook (outputs truncated). */
  notebook: Notebook;
  /** Processes the notebook left behind, killed at the end. */
  killedProcesses: number;
}

function outputSize(o: NbOutput): number {
  switch (o.output_type) {
    case "stream":
      return o.text.length;
    case "error":
      return o.evalue.length + o.traceback.reduce((s, l) => s + l.length, 0);
    default: {
      let n = 0;
      for (const v of Object.values(o.data)) n += typeof v === "string" ? v.length : JSON.stringify(v ?? "").length;
      return n;
    }
  }
}

function truncateText(s: string, keep: number): string {
  if (s.length <= keep) return s;
  const head = Math.floor(keep * 0.7);
  const tail = keep - head;
  return `${s.slice(0, head)}\n… [${s.length - keep} characters truncated by the grader] …\n${s.slice(s.length - tail)}`;
}

/** Truncates one cell's outputs so that each keeps at most `keep` characters. */
export function truncateOutputs(outputs: NbOutput[], keep: number): NbOutput[] {
  return outputs.map((o) => {
    if (o.output_type === "stream") return { ...o, text: truncateText(o.text, keep) };
    if (o.output_type === "error") {
      const tb = o.traceback.length > 60 ? [...o.traceback.slice(0, 30), `… [${o.traceback.length - 50} lines truncated by the grader] …`, ...o.traceback.slice(-20)] : o.traceback;
      return { ...o, evalue: truncateText(o.evalue, keep), traceback: tb.map((l) => truncateText(l, keep)) };
    }
    const data: Record<string, unknown> = {};
    let dropped = 0;
    for (const [mime, v] of Object.entries(o.data)) {
      const size = typeof v === "string" ? v.length : JSON.stringify(v ?? "").length;
      if (mime.startsWith("image/")) {
        if (size <= Math.max(keep * 50, 2_000_000)) data[mime] = v;
        else dropped += size;
      } else if (typeof v === "string") data[mime] = truncateText(v, keep * 5);
      else if (size <= keep * 50) data[mime] = v;
      else dropped += size;
    }
    if (dropped) data["text/plain"] = `[output of ${dropped} characters omitted by the grader]`;
    return { ...o, data };
  });
}

function oneLine(ename: string, evalue: string): string {
  const first = stripAnsi(evalue).split("\n").find((l) => l.trim()) ?? "";
  return `${ename}: ${first}`.slice(0, 500);
}

export async function runFeedback(nb: Notebook, opts: FeedbackOptions): Promise<FeedbackRun> {
  const t0 = performance.now();
  const notebook: Notebook = JSON.parse(JSON.stringify(nb));
  const keep = opts.outputKeepChars ?? 20_000;
  const killAt = opts.outputKillChars ?? 2_000_000;
  const run: FeedbackRun = { ok: true, notes: [], cells: [], seconds: 0, notebook, killedProcesses: 0 };
  const codeCells = notebook.cells.map((c, i) => [c, i] as const).filter(([c]) => c.cell_type === "code");
  const markRest = (from: number, why: string) => {
    for (const [c, i] of codeCells.slice(from)) run.cells.push({ index: i + 1, id: c.id ?? "", status: "not-run", error: why, seconds: 0 });
  };

  let kernel: Kernel;
  try {
    kernel = await Kernel.start({
      cwd: opts.cwd,
      maxOldSpaceSizeMb: Math.max(256, Math.floor(opts.memoryMb * 0.75)),
      nodeArgs: ["--require", SEND_QUEUE],
      // After a timeout's interrupt, queued output must drain before the cell reports its end.
      interruptGraceMs: 10_000,
      env: opts.env,
      startTimeoutMs: 90_000,
    });
  } catch (e) {
    run.ok = false;
    run.notes.push(`the notebook could not be run: the kernel failed to start (${(e as Error).message})`);
    markRest(0, "kernel did not start");
    run.seconds = (performance.now() - t0) / 1000;
    return run;
  }
  let memoryExceeded = false;
  const stopWatch = kernel.pid
    ? watchMemory(kernel.pid, opts.memoryMb, () => {
        memoryExceeded = true;
        if (kernel.pid) killDescendants(kernel.pid);
        kernel.killSync();
      })
    : () => {};
  const displays: DisplayRegistry = new Map();
  const tRun = performance.now();
  try {
    for (let k = 0; k < codeCells.length; k++) {
      const [cell, i] = codeCells[k];
      const elapsed = (performance.now() - tRun) / 1000;
      const left = opts.totalTimeoutS - elapsed;
      if (left <= 0) {
        run.ok = false;
        run.notes.push(`the notebook reached its total time limit of ${opts.totalTimeoutS} s; the remaining cells were not run`);
        markRest(k, "total time limit reached");
        break;
      }
      const cellLimit = (cell.id && opts.cellTimeouts?.get(cell.id)) || opts.cellTimeoutS;
      const timeoutS = Math.min(cellLimit, left);
      let printed = 0;
      let displayed = 0;
      let outputKilled = false;
      let finished = false;
      let killTimer: NodeJS.Timeout | undefined;
      const r = await kernel.execute(cellSource(cell), {
        timeoutMs: timeoutS * 1000,
        displays,
        onOutput: (o) => {
          // Text (streams, errors) is what runs away; rich displays (images, Plotly) are large but few.
          if (o.output_type === "stream" || o.output_type === "error") printed += outputSize(o);
          else displayed += outputSize(o);
          if ((printed > killAt || displayed > killAt * 25) && !killTimer) {
            // Still printing half a second later: stop it (interrupt, then kill).
            killTimer = setTimeout(() => {
              if (finished) return;
              outputKilled = true;
              kernel.interrupt();
              killTimer = setTimeout(() => {
                if (!finished) kernel.killSync();
              }, 2_000);
            }, 500);
          }
        },
      });
      finished = true;
      clearTimeout(killTimer);
      cell.outputs = truncateOutputs(r.outputs, keep);
      cell.execution_count = r.executionCount;
      let status: FeedbackCellStatus = r.status;
      let error = r.error ? oneLine(r.error.ename, r.error.evalue) : undefined;
      if (outputKilled) {
        status = "output-limit";
        error = `the cell printed more than ${killAt.toLocaleString("en-US")} characters and was stopped`;
      } else if (memoryExceeded) {
        status = "memory";
        error = `the notebook exceeded its memory limit of ${opts.memoryMb} MB and was stopped`;
      } else if (r.status === "timeout") {
        error = timeoutS < cellLimit ? `the notebook reached its total time limit of ${opts.totalTimeoutS} s during this cell` : `the cell did not finish within its time limit of ${cellLimit} s`;
      }
      if (status !== "ok") {
        run.ok = false;
        (cell.outputs as NbOutput[]).push({ output_type: "stream", name: "stderr", text: `[grader] ${error}\n` });
      }
      run.cells.push({ index: i + 1, id: cell.id ?? "", status, error, seconds: r.seconds });
      if (!kernel.alive) {
        const why = status === "died" ? "the kernel died" : status === "memory" ? "memory limit" : "the kernel was stopped";
        run.notes.push(`the notebook stopped at cell ${i + 1} (${error}); the cells after it were not run`);
        markRest(k + 1, why);
        break;
      }
    }
  } finally {
    stopWatch();
    if (kernel.pid) run.killedProcesses = killDescendants(kernel.pid);
    await kernel.shutdown(500);
  }
  run.seconds = (performance.now() - t0) / 1000;
  return run;
}

export function lessonCwd(notebookPath: string): string {
  return path.dirname(path.resolve(notebookPath));
}
