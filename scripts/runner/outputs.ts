/**
 * Turning a cell's iopub messages into nbformat 4 outputs, the way Jupyter's front ends do:
 *
 * - `stream`: consecutive writes to the same stream coalesce into one output; `\r` overwrites
 *   the current line (progress bars) when the output is finalised.
 * - `display_data` / `execute_result`: a mime bundle; a `transient.display_id` is remembered so a
 *   later `update_display_data` (from this or any later cell) rewrites every output with that id.
 * - `clear_output`: clears now, or (wait=true) just before the next output arrives.
 * - `error`: ename / evalue / traceback.
 *
 * tslab prints a failed cell's exception to stderr instead of sending an `error` message, so
 * `synthesizeError` recovers ename/evalue/traceback from that last stderr write (parseErrorText).
 * Spec: https://jupyter-client.readthedocs.io/en/latest/messaging.html#messages-on-the-iopub-pub-sub-channel
 */
import type { JupyterMessage } from "./protocol";

export type MimeBundle = Record<string, unknown>;

export interface StreamOutput {
  output_type: "stream";
  name: "stdout" | "stderr";
  text: string;
}
export interface DisplayDataOutput {
  output_type: "display_data";
  data: MimeBundle;
  metadata: Record<string, unknown>;
}
export interface ExecuteResultOutput {
  output_type: "execute_result";
  execution_count: number | null;
  data: MimeBundle;
  metadata: Record<string, unknown>;
}
export interface ErrorOutput {
  output_type: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}
export type NbOutput = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

export interface CellError {
  /** Error class name, e.g. "TypeError"; "TypeScriptError" for compile errors, "CellTimeout", "KernelDied". */
  ename: string;
  /** The message. */
  evalue: string;
  /** Traceback lines (may hold ANSI colour codes, as Jupyter stores them). */
  traceback: string[];
}

/** display_id -> every output showing it; shared by all cells of one notebook run. */
export type DisplayRegistry = Map<string, (DisplayDataOutput | ExecuteResultOutput)[]>;

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;
/** Removes ANSI escape sequences (colours, cursor moves). */
export function stripAnsi(s: string): string {
  return s.replace(ANSI, "");
}

/** Applies carriage returns the way Jupyter renders them: text before a `\r` on a line is overwritten. */
export function applyCarriageReturns(text: string): string {
  if (!text.includes("\r")) return text;
  return text
    .replace(/\r+\n/g, "\n")
    .split("\n")
    .map((line) => {
      const parts = line.split("\r");
      for (let i = parts.length - 1; i >= 0; i--) if (parts[i] !== "") return parts[i];
      return "";
    })
    .join("\n");
}

/** Mime types whose values are JSON documents (stored as objects in .ipynb). */
export function isJsonMime(mime: string): boolean {
  return mime === "application/json" || (mime.startsWith("application/") && mime.endsWith("+json"));
}

function normaliseBundle(data: unknown): MimeBundle {
  const out: MimeBundle = {};
  if (!data || typeof data !== "object") return out;
  for (const [mime, value] of Object.entries(data as Record<string, unknown>)) {
    if (value === undefined) continue;
    if (isJsonMime(mime) && typeof value === "string") {
      try {
        out[mime] = JSON.parse(value);
        continue;
      } catch {
        /* keep the string */
      }
    }
    out[mime] = value;
  }
  return out;
}

const DIAGNOSTIC = /^(?:\S+ )?\d+:\d+ - /;
const ERROR_HEAD = /^([A-Za-z_$][\w$.]*)(?: \[[\w$]+\])?: ?(.*)$/;
const STACK_LINE = /^\s+at /;
/** Stack frames of tslab and node's vm module: noise below the cell's own frames. */
const INTERNAL_FRAME = /^\s+at .*(node_modules[\\/]tslab[\\/]|\(node:vm:|sigintHandlersWrap|node:internal)/;

/**
 * Recovers { ename, evalue, traceback } from what tslab printed for a failed cell:
 * - TypeScript diagnostics ("3:5 - Cannot find name 'x'.", one or more, messages may span
 *   lines) -> ename "TypeScriptError", evalue all of them;
 * - a printed Error ("TypeError: msg\n    at ...") -> its name and message (multi-line messages
 *   run up to the first stack frame);
 * - anything else (a thrown string or object) -> ename "Error", evalue the text.
 */
export function parseErrorText(raw: string): CellError {
  const text = stripAnsi(raw).replace(/\s+$/, "");
  const lines = text.split("\n");
  const traceback = raw
    .replace(/\s+$/, "")
    .split("\n")
    .filter((l) => !INTERNAL_FRAME.test(stripAnsi(l)));
  const nonEmpty = lines.filter((l) => l.trim() !== "");
  if (nonEmpty.length > 0 && DIAGNOSTIC.test(nonEmpty[0])) {
    return { ename: "TypeScriptError", evalue: nonEmpty.join("\n"), traceback };
  }
  // Node prints a thrown Error as [source line, caret, blank,] "Name: message", stack frames,
  // [{ extra props }]. Find the "Name: message" line: an ...Error/...Exception name, or any name
  // directly followed by a stack frame.
  for (let i = 0; i < lines.length; i++) {
    if (STACK_LINE.test(lines[i])) break;
    const m = ERROR_HEAD.exec(lines[i].replace(/^Uncaught /, ""));
    if (!m || !(/(Error|Exception)$/.test(m[1]) || STACK_LINE.test(lines[i + 1] ?? ""))) continue;
    const message = [m[2]];
    for (const l of lines.slice(i + 1)) {
      if (STACK_LINE.test(l) || /^\s*\{$/.test(l)) break;
      message.push(l);
    }
    return { ename: m[1], evalue: message.join("\n").trim(), traceback };
  }
  return { ename: "Error", evalue: text, traceback };
}

/** Collects one cell's outputs from iopub messages. */
export class OutputCollector {
  readonly outputs: NbOutput[] = [];
  private clearPending = false;
  /**
   * The stderr writes since the last other output. tslab prints a failed cell's exception as one
   * write, and TypeScript diagnostics as one write each.
   */
  private stderrTail: string[] = [];
  private sawError = false;

  constructor(
    private readonly displays: DisplayRegistry = new Map(),
    private readonly onOutput?: (o: NbOutput) => void,
  ) {}

  /** Handles one iopub message of this cell; returns false for message types it ignores (status etc.). */
  handle(msg: JupyterMessage): boolean {
    const c = msg.content as Record<string, any>;
    switch (msg.header.msg_type) {
      case "stream": {
        const name = c.name === "stderr" ? "stderr" : "stdout";
        const text = String(c.text ?? "");
        if (name === "stderr") this.stderrTail.push(text);
        else this.stderrTail = [];
        const last = this.outputs[this.outputs.length - 1];
        if (!this.clearPending && last && last.output_type === "stream" && last.name === name) {
          last.text += text;
          this.onOutput?.({ output_type: "stream", name, text });
        } else {
          this.push({ output_type: "stream", name, text });
        }
        return true;
      }
      case "display_data":
      case "execute_result": {
        const out: DisplayDataOutput | ExecuteResultOutput =
          msg.header.msg_type === "execute_result"
            ? {
                output_type: "execute_result",
                execution_count: c.execution_count ?? null,
                data: normaliseBundle(c.data),
                metadata: c.metadata ?? {},
              }
            : { output_type: "display_data", data: normaliseBundle(c.data), metadata: c.metadata ?? {} };
        const id = c.transient?.display_id;
        if (typeof id === "string" && id) {
          const list = this.displays.get(id) ?? [];
          list.push(out);
          this.displays.set(id, list);
        }
        this.stderrTail = [];
        this.push(out);
        return true;
      }
      case "update_display_data": {
        const id = c.transient?.display_id;
        for (const out of (typeof id === "string" && this.displays.get(id)) || []) {
          out.data = normaliseBundle(c.data);
          out.metadata = c.metadata ?? {};
        }
        return true;
      }
      case "error": {
        this.sawError = true;
        this.stderrTail = [];
        this.push({
          output_type: "error",
          ename: String(c.ename ?? "Error"),
          evalue: String(c.evalue ?? ""),
          traceback: Array.isArray(c.traceback) ? c.traceback.map(String) : [],
        });
        return true;
      }
      case "clear_output":
        if (c.wait) this.clearPending = true;
        else this.clear();
        return true;
      default:
        return false;
    }
  }

  private clear(): void {
    this.outputs.length = 0;
    this.clearPending = false;
    this.stderrTail = [];
  }

  private push(out: NbOutput): void {
    if (this.clearPending) this.clear();
    this.outputs.push(out);
    this.onOutput?.(out);
  }

  /** The error this cell reported: its `error` output, or one recovered from tslab's stderr. */
  errorInfo(): CellError | null {
    const err = this.outputs.find((o): o is ErrorOutput => o.output_type === "error");
    return err ? { ename: err.ename, evalue: err.evalue, traceback: err.traceback } : null;
  }

  /**
   * For kernels (tslab) that answer a failed execute with status "error" but print the exception
   * to stderr: moves that last stderr write into a proper `error` output and returns it.
   */
  synthesizeError(): CellError {
    const existing = this.errorInfo();
    if (this.sawError && existing) return existing;
    // The error print: the last stderr write, or the run of diagnostic writes at the end.
    let n = this.stderrTail.length ? 1 : 0;
    const isDiag = (t: string) => DIAGNOSTIC.test(stripAnsi(t));
    if (n && isDiag(this.stderrTail[this.stderrTail.length - 1])) {
      while (n < this.stderrTail.length && isDiag(this.stderrTail[this.stderrTail.length - 1 - n])) n++;
    }
    let text = this.stderrTail.slice(this.stderrTail.length - n).join("");
    const last = this.outputs[this.outputs.length - 1];
    if (text && last?.output_type === "stream" && last.name === "stderr" && last.text.endsWith(text)) {
      last.text = last.text.slice(0, last.text.length - text.length);
      if (last.text === "") this.outputs.pop();
    } else if (!text) {
      text = "Error: the kernel reported an error without a message";
    }
    const err = parseErrorText(text);
    this.outputs.push({ output_type: "error", ...err });
    this.sawError = true;
    return err;
  }

  /** Adds an error output for a failure the kernel could not report itself (timeout, death). */
  addError(err: CellError): void {
    this.outputs.push({ output_type: "error", ...err });
    this.sawError = true;
  }

  /** The outputs as they should be stored: carriage returns applied to streams. */
  finalOutputs(): NbOutput[] {
    return this.outputs.map((o) => (o.output_type === "stream" ? { ...o, text: applyCarriageReturns(o.text) } : o));
  }
}
