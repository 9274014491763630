/**
 * The headless notebook runner: public API for scripts/course.ts, the benchmark and the autograder.
 *
 *   import { Kernel, runNotebook, runNotebooks, formatFailure } from "./runner";
 */
export { describeExit, Kernel, KernelStartError, killAllKernels, REPO_ROOT, TSLAB_BIN } from "./kernel";
export type { ExecuteOptions, ExecuteResult, ExecuteStatus, KernelExit, KernelOptions } from "./kernel";
export { DEFAULT_CELL_TIMEOUT_S, DEFAULT_OUT_DIR, detectBackend, executeNotebook, formatFailure, runNotebook, runNotebooks } from "./run";
export type { CellRun, ExecuteNotebookOptions, RunFailure, RunOptions, RunResult, RunStatus } from "./run";
export { cellSource, NotebookFormatError, readNotebook, serializeNotebook, splitLines, validateNotebook, writeNotebook } from "./notebook";
export type { Notebook, NotebookCell } from "./notebook";
export { OutputCollector, parseErrorText, stripAnsi } from "./outputs";
export type { CellError, DisplayRegistry, NbOutput } from "./outputs";
export { Session } from "./protocol";
export type { JupyterMessage, MessageHeader } from "./protocol";
