/**
 * Executing whole notebooks headlessly (what `jupyter nbconvert --execute` / nbclient do), on a
 * fresh tslab kernel per notebook whose cwd is the notebook's folder.
 *
 *   const r = await runNotebook("notebooks/01-intro.ipynb", { outDir: "build/notebooks" });
 *   if (!r.ok) console.error(formatFailure(r));
 *
 * Code cells run in order; the first failure (exception, compile error, timeout, kernel death)
 * stops the notebook. The executed copy, with outputs so far, is always written to
 * <outDir>/<name>.ipynb; the source file is never touched.
 *
 * Per-cell time limit, most specific first: cell `metadata.gan_course.timeout` (s), notebook
 * `metadata.gan_course.cell_timeout` (s), `options.cellTimeoutS` (the CLI's --timeout), 300 s.
 * `options.totalTimeoutS` additionally caps the whole notebook (the autograder's budget).
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { DisplayRegistry, NbOutput, stripAnsi } from "./outputs";
import { describeExit, ExecuteStatus, Kernel, KernelOptions, REPO_ROOT } from "./kernel";
import { cellSource, Notebook, NotebookFormatError, readNotebook, writeNotebook } from "./notebook";

export const DEFAULT_CELL_TIMEOUT_S = 300;
export const DEFAULT_OUT_DIR = path.join(REPO_ROOT, "build", "notebooks");

export interface RunOptions {
  /** Where the executed copy goes (as <outDir>/<basename>). Default <repo>/build/notebooks. */
  outDir?: string;
  /** Write the executed copy. Default true. */
  write?: boolean;
  /** Default per-cell timeout in seconds when neither the cell nor the notebook sets one. Default 300. */
  cellTimeoutS?: number;
  /** Time limit for the whole notebook (kernel start excluded), seconds. Default none. */
  totalTimeoutS?: number;
  /** Kernel settings: env (e.g. GAN_COURSE_BACKEND), nodeArgs, maxOldSpaceSizeMb, ... (cwd is the notebook's folder). */
  kernel?: KernelOptions;
  /** Called before each code cell runs. */
  onCellStart?: (cell: { index: number; codeIndex: number; source: string }) => void;
  /** Called after each code cell. */
  onCellEnd?: (cell: CellRun) => void;
  /**
   * Stop at the first failing cell (default true). false: keep executing after errors and
   * interrupted timeouts while the kernel lives (the autograder grades every exercise); the
   * notebook still counts as failed. A dead or killed kernel, or the total limit, always stops.
   */
  stopOnError?: boolean;
  /** Called for each output as it arrives. */
  onOutput?: (output: NbOutput, cell: { index: number; codeIndex: number }) => void;
}

export type RunStatus = ExecuteStatus | "invalid" | "start-failed";

export interface CellRun {
  /** 1-based position among all cells (markdown included). */
  index: number;
  /** 1-based position among code cells. */
  codeIndex: number;
  status: ExecuteStatus;
  executionCount: number | null;
  seconds: number;
  outputs: NbOutput[];
  /** Set when status is not "ok". */
  failure?: RunFailure;
}

export interface RunFailure {
  /** One line, e.g. "cell 7 (code cell 4): TypeError: boom". */
  message: string;
  /** 1-based index among all cells; absent for invalid notebooks / kernel start failures. */
  cell?: number;
  /** 1-based index among code cells. */
  codeCell?: number;
  ename: string;
  evalue: string;
  /** Traceback lines, ANSI colour codes removed. */
  traceback: string[];
}

export interface RunResult {
  /** The notebook path as given. */
  notebook: string;
  /** Where the executed copy was written (null if not written). */
  outPath: string | null;
  ok: boolean;
  status: RunStatus | "ok";
  /** Wall time, kernel start included. */
  seconds: number;
  kernelStartSeconds: number | null;
  /** Executed code cells, in order. */
  cells: CellRun[];
  failure?: RunFailure;
  /** The backend the notebook reported ("gan-course: backend=..."), else $GAN_COURSE_BACKEND. */
  backend?: string;
  /** ISO time the run started. */
  date: string;
}

function positiveNumber(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) && v > 0 ? v : undefined;
}

function where(cell: number, codeCell: number): string {
  return `cell ${cell} (code cell ${codeCell})`;
}

/** Runs one notebook file on a fresh kernel. Never throws for notebook problems: see `ok` / `failure`. */
export async function runNotebook(file: string, options: RunOptions = {}): Promise<RunResult> {
  const t0 = performance.now();
  let nb: Notebook;
  try {
    nb = await readNotebook(file);
  } catch (e) {
    const msg = e instanceof NotebookFormatError ? e.problem : (e as Error).message;
    return {
      notebook: file,
      outPath: null,
      ok: false,
      status: "invalid",
      seconds: (performance.now() - t0) / 1000,
      kernelStartSeconds: null,
      cells: [],
      date: new Date().toISOString(),
      failure: { message: msg, ename: "NotebookFormatError", evalue: msg, traceback: [] },
    };
  }
  const outPath = options.write === false ? null : path.join(options.outDir ?? DEFAULT_OUT_DIR, path.basename(file));
  return executeNotebook(nb, { ...options, name: file, cwd: path.dirname(path.resolve(file)), outPath });
}

export interface ExecuteNotebookOptions extends RunOptions {
  /** Reported as RunResult.notebook. */
  name: string;
  /** The kernel's working directory (module resolution starts here). */
  cwd: string;
  /** Where to write the executed copy; null for nowhere. */
  outPath: string | null;
}

/**
 * Executes an in-memory, validated notebook (see validateNotebook) on a fresh kernel, filling its
 * outputs, execution counts and run metadata in place, and writes it to `outPath`. For the
 * autograder: load a notebook, add or swap cells, execute, inspect `cells[].error`.
 */
export async function executeNotebook(nb: Notebook, options: ExecuteNotebookOptions): Promise<RunResult> {
  const date = new Date().toISOString();
  const t0 = performance.now();
  const result: RunResult = {
    notebook: options.name,
    outPath: options.outPath,
    ok: false,
    status: "ok",
    seconds: 0,
    kernelStartSeconds: null,
    cells: [],
    date,
  };

  // Start from a clean slate: no stale outputs from the source file. nbformat 4.5 requires cell ids.
  for (const c of nb.cells) {
    if (nb.nbformat_minor >= 5 && typeof c.id !== "string") c.id = randomBytes(4).toString("hex");
    if (c.cell_type === "code") {
      c.outputs = [];
      c.execution_count = null;
    }
  }
  const nbTimeout = positiveNumber(nb.metadata.gan_course?.cell_timeout);
  const defaultTimeout = nbTimeout ?? positiveNumber(options.cellTimeoutS) ?? DEFAULT_CELL_TIMEOUT_S;
  const displays: DisplayRegistry = new Map();

  let kernel: Kernel | null = null;
  try {
    if (!nb.cells.some((c) => c.cell_type === "code")) return result; // nothing to run: no kernel
    try {
      kernel = await Kernel.start({ ...options.kernel, cwd: options.cwd });
      result.kernelStartSeconds = kernel.startSeconds;
    } catch (e) {
      const err = e as Error & { stderr?: string };
      const tail = stripAnsi(err.stderr ?? "").trim().split("\n").filter(Boolean).slice(-10);
      result.status = "start-failed";
      result.failure = { message: `kernel failed to start: ${err.message}`, ename: err.name, evalue: err.message, traceback: tail };
      return result;
    }

    const tRun = performance.now();
    let codeIndex = 0;
    for (let i = 0; i < nb.cells.length; i++) {
      const cell = nb.cells[i];
      if (cell.cell_type !== "code") continue;
      codeIndex++;
      const source = cellSource(cell);
      const at = { index: i + 1, codeIndex };
      let timeoutS = positiveNumber(cell.metadata.gan_course?.timeout) ?? defaultTimeout;
      let totalLimited = false;
      if (options.totalTimeoutS) {
        const left = options.totalTimeoutS - (performance.now() - tRun) / 1000;
        if (left < timeoutS) {
          timeoutS = Math.max(left, 0.001);
          totalLimited = true;
        }
      }
      options.onCellStart?.({ ...at, source });
      const r = await kernel.execute(source, {
        timeoutMs: timeoutS * 1000,
        displays,
        onOutput: options.onOutput && ((o) => options.onOutput!(o, at)),
      });
      cell.outputs = r.outputs;
      cell.execution_count = r.executionCount;
      cell.metadata.execution = r.timing;
      cell.metadata.gan_course = { ...cell.metadata.gan_course, seconds: round(r.seconds) };
      const run: CellRun = { ...at, status: r.status, executionCount: r.executionCount, seconds: r.seconds, outputs: r.outputs };
      result.cells.push(run);
      if (r.status === "ok") {
        options.onCellEnd?.(run);
        continue;
      }

      const err = r.error ?? { ename: "Error", evalue: r.status, traceback: [] };
      const traceback = err.traceback.map(stripAnsi);
      let message: string;
      if (r.status === "timeout") {
        const limit = totalLimited ? `the notebook's total time limit of ${options.totalTimeoutS} s` : `its ${timeoutS} s time limit`;
        message = `${where(at.index, at.codeIndex)} timed out: exceeded ${limit}; ${kernel.alive ? "interrupted" : "interrupted, then the kernel was killed"}`;
      } else if (r.status === "died") {
        message = `kernel died while running ${where(at.index, at.codeIndex)}: ${r.exit ? describeExit(r.exit) : stripAnsi(err.evalue)}`;
      } else {
        message = `${where(at.index, at.codeIndex)}: ${err.ename}: ${stripAnsi(err.evalue).split("\n")[0]}`;
      }
      run.failure = { message, cell: at.index, codeCell: at.codeIndex, ename: err.ename, evalue: stripAnsi(err.evalue), traceback };
      options.onCellEnd?.(run);
      if (!result.failure) {
        result.status = r.status;
        result.failure = run.failure;
      }
      const canGoOn = options.stopOnError === false && kernel.alive && !totalLimited;
      if (!canGoOn) break;
    }
  } finally {
    await kernel?.shutdown(500);
    result.ok = result.status === "ok";
    result.seconds = (performance.now() - t0) / 1000;
    result.backend = detectBackend(result.cells) ?? options.kernel?.env?.GAN_COURSE_BACKEND ?? process.env.GAN_COURSE_BACKEND;
    if (options.outPath) {
      nb.metadata.gan_course = {
        ...nb.metadata.gan_course,
        run: {
          ok: result.ok,
          seconds: round(result.seconds),
          kernel_start_seconds: result.kernelStartSeconds === null ? null : round(result.kernelStartSeconds),
          date,
          backend: result.backend ?? null,
          ...(result.failure ? { failure: result.failure.message } : {}),
        },
      };
      await writeNotebook(options.outPath, nb);
    }
  }
  return result;
}

function round(s: number): number {
  return Math.round(s * 1000) / 1000;
}

/** Finds "gan-course: backend=<name>" (printed by setupLesson) in the cells' stdout. */
export function detectBackend(cells: CellRun[]): string | undefined {
  for (const c of cells) {
    for (const o of c.outputs) {
      if (o.output_type !== "stream") continue;
      const m = /gan-course: backend=(\S+)/.exec(o.text);
      if (m) return m[1];
    }
  }
  return undefined;
}

/**
 * Runs several notebooks, at most `jobs` at a time, each on its own kernel. Results come back in
 * input order; `onResult` fires as each notebook finishes.
 */
export async function runNotebooks(
  files: string[],
  options: RunOptions & { jobs?: number; onResult?: (r: RunResult) => void; onStart?: (file: string) => void } = {},
): Promise<RunResult[]> {
  const jobs = Math.max(1, Math.floor(options.jobs ?? 1));
  const results: RunResult[] = new Array(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      options.onStart?.(files[i]);
      results[i] = await runNotebook(files[i], options);
      options.onResult?.(results[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, worker));
  return results;
}

/** A multi-line human report of a failed run: the one-line message, then the traceback indented. */
export function formatFailure(r: RunResult): string {
  if (!r.failure) return `${r.notebook}: ok`;
  const lines = [`${r.notebook}: ${r.failure.message}`];
  const tb = r.failure.traceback.length ? r.failure.traceback : [];
  for (const l of tb) lines.push(`    ${l}`);
  if (r.outPath) lines.push(`    (executed copy: ${r.outPath})`);
  return lines.join("\n");
}
