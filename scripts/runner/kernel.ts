/**
 * A headless Jupyter client for one tslab kernel process: launch it the way Jupyter does
 * (connection file + `tslab kernel --config-path FILE`), talk the messaging protocol v5.3 over
 * ZeroMQ (DEALER on shell/control, SUB on iopub), execute code and collect nbformat outputs.
 *
 * Built for two users: the notebook runner (run.ts) and the autograder, which needs arbitrary code
 * strings, per-execution timeouts, a memory limit (`maxOldSpaceSizeMb` -> node
 * --max-old-space-size) and a hard kill.
 *
 *   const kernel = await Kernel.start({ cwd: "notebooks" });
 *   const r = await kernel.execute("1 + 1", { timeoutMs: 10_000 });   // r.status, r.outputs, r.error
 *   await kernel.shutdown();
 *
 * Failure handling never waits forever: every execute races the kernel's process `exit` event and
 * its timeout; on timeout the kernel gets SIGINT (tslab has no interrupt_request handler; its
 * kernelspec uses signal interrupts, and `vm.runInThisContext({breakOnSigint})` breaks synchronous
 * loops), then SIGKILL after `interruptGraceMs` if the cell has not ended.
 *
 * tslab behaviours this file works around (see also outputs.ts):
 * - a failed cell sends no iopub `error`: the exception is printed on stderr and execute_reply
 *   only has status "error" -> OutputCollector.synthesizeError recovers ename/evalue/traceback;
 * - after a failed cell tslab cancels every request that arrives in the next 200 ms (status
 *   "abort") -> execute() waits out that window itself;
 * - the value of a cell's last expression is console.log'ed (a stdout `stream`), never an
 *   `execute_result`; that includes `await setupLesson(...)` as the last statement (write
 *   `const setup = await setupLesson(...)` to print nothing);
 * - no interrupt_request handler (it would only log "unknown msg_type" into the running cell);
 *   SIGINT breaks synchronous code only until a top-level-await cell's first `await`: after it a
 *   busy loop can only be killed;
 * - stdout/stderr/display from timers left running by a finished cell go to whichever cell runs
 *   when they fire (tslab swaps process.stdout.write per request); output arriving after a cell's
 *   idle is dropped, as nbclient does;
 * - the execute_reply header date is stamped when the request arrives, not when it finishes;
 * - start-up (~2 s on an idle machine) is tslab building a TypeScript 5.0 program (lib.es2022 +
 *   every node_modules/@types package) before it binds its ports; every cell is type-checked
 *   (TS 5.0, moduleResolution node10: the "exports" map of packages is ignored for types).
 */
import { ChildProcess, spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type * as Zmq from "zeromq";
import { ConnectionInfo, endpoint, newConnectionInfo, writeConnectionFile } from "./connection";
import { CellError, DisplayRegistry, NbOutput, OutputCollector } from "./outputs";
import { JupyterMessage, Session } from "./protocol";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const TSLAB_BIN = path.join(REPO_ROOT, "node_modules", "tslab", "bin", "tslab");

export interface KernelOptions {
  /** Working directory of the kernel: module resolution of `import` in cells starts here. Default process.cwd(). */
  cwd?: string;
  /** Extra environment variables, layered over process.env (set a value to undefined to remove it). */
  env?: Record<string, string | undefined>;
  /** Extra node flags for the kernel process, e.g. ["--max-old-space-size=2048"]. */
  nodeArgs?: string[];
  /** V8 heap limit of the kernel in MiB (adds --max-old-space-size). Default: node's own. */
  maxOldSpaceSizeMb?: number;
  /** tslab's bin script. Default <repo>/node_modules/tslab/bin/tslab. */
  tslabBin?: string;
  /** Start the JavaScript kernel (jslab) instead of TypeScript. Default false. */
  js?: boolean;
  /** Give up starting after this long. Default 60 000 ms. */
  startTimeoutMs?: number;
  /** Default per-execution timeout. Default 300 000 ms. */
  timeoutMs?: number;
  /** After a timeout's SIGINT, wait this long for the cell to end before SIGKILL. Default 2 000 ms. */
  interruptGraceMs?: number;
  /** Fixed connection settings (e.g. ports) over the generated ones; normally unset. */
  connection?: Partial<ConnectionInfo>;
  /** Directory of the connection file. Default os.tmpdir(). */
  connectionDir?: string;
  /** Receives what the kernel process prints outside any cell (its own stdout/stderr). */
  onKernelOutput?: (stream: "stdout" | "stderr", text: string) => void;
}

export interface ExecuteOptions {
  /** Overrides the kernel's default timeout for this execution (ms); Infinity for none. */
  timeoutMs?: number;
  /** Called for every output as it arrives (streams once per write). */
  onOutput?: (output: NbOutput) => void;
  /** Displays shared across executions, so update_display_data can reach earlier cells. */
  displays?: DisplayRegistry;
  /** Jupyter's store_history; default true. */
  storeHistory?: boolean;
}

/**
 * ok: ran to the end. error: the code threw (or failed to compile). timeout: exceeded its time
 * (interrupted; the kernel is killed unless the interrupt worked). died: the kernel process ended.
 * aborted: the kernel refused the request (tslab's post-error window).
 */
export type ExecuteStatus = "ok" | "error" | "timeout" | "died" | "aborted";

export interface ExecuteResult {
  status: ExecuteStatus;
  executionCount: number | null;
  outputs: NbOutput[];
  /** Set unless status is "ok". */
  error?: CellError;
  /** Wall time from sending execute_request to the end (idle + reply, or failure). */
  seconds: number;
  /** Jupyter-style timing stamps (ISO 8601), as nbclient stores them in cell.metadata.execution. */
  timing: Record<string, string>;
  /** Set when status is "died": how the process ended. */
  exit?: KernelExit;
}

export interface KernelExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class KernelStartError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = "KernelStartError";
  }
}

type Channel = "shell" | "control" | "iopub";
type Handler = (channel: Channel, msg: JupyterMessage) => void;

const LOG_TAIL = 8_000;
const ABORT_WINDOW_MS = 250;
const PORT_CLASH = /EADDRINUSE|Address already in use/i;
const live = new Set<Kernel>();
let exitHookInstalled = false;

/** Kills every kernel still running when this process exits (no orphaned kernels on Ctrl-C). */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const k of live) k.killSync();
  });
}

/** Kills every live kernel of this process (for signal handlers of CLIs). */
export function killAllKernels(): void {
  for (const k of live) k.killSync();
}

/** "exited with code 1" / "killed by SIGABRT (often: out of memory)". */
export function describeExit(e: KernelExit): string {
  if (e.signal) {
    const oom = e.signal === "SIGABRT" || e.signal === "SIGTRAP" ? " (often: out of memory)" : "";
    return `killed by ${e.signal}${oom}`;
  }
  return `exited with code ${e.code}${e.code === 134 ? " (abort; often out of memory)" : ""}`;
}

export class Kernel {
  readonly options: KernelOptions;
  /** Seconds from spawn to ready (kernel_info answered and iopub connected). */
  startSeconds = NaN;
  /** Milestones of start() in ms since it began: spawned, kernel_info_reply, iopub connected. */
  startPhases: { spawnedMs: number; kernelInfoMs: number; readyMs: number } = { spawnedMs: NaN, kernelInfoMs: NaN, readyMs: NaN };
  private startT0 = 0;
  /** kernel_info_reply content (implementation, language_info, ...). */
  info: Record<string, unknown> = {};
  private child: ChildProcess | null = null;
  private conn: ConnectionInfo | null = null;
  private connFile: string | null = null;
  private session: Session | null = null;
  private shell: Zmq.Dealer | null = null;
  private control: Zmq.Dealer | null = null;
  private iopub: Zmq.Subscriber | null = null;
  private sendChains = new Map<Zmq.Dealer, Promise<unknown>>();
  private handlers = new Map<string, Handler>();
  private exitInfo: KernelExit | null = null;
  /** Resolves once the process has exited and its stdout/stderr are drained. */
  private exited: Promise<KernelExit> = new Promise(() => {});
  private stderrTail = "";
  private lastErrorAt = 0;
  private closed = false;
  private busy = false;

  constructor(options: KernelOptions = {}) {
    this.options = options;
  }

  /** Starts a kernel and waits until it is ready to execute. */
  static async start(options: KernelOptions = {}): Promise<Kernel> {
    const k = new Kernel(options);
    await k.start();
    return k;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The connection file while the kernel is up (deleted by shutdown/kill). */
  get connectionFile(): string | null {
    return this.connFile;
  }

  /** True while the kernel process runs. */
  get alive(): boolean {
    return this.child !== null && this.exitInfo === null;
  }

  /** How the process ended, or null while it runs. */
  get exit(): KernelExit | null {
    return this.exitInfo;
  }

  /** The last few KB of the kernel process's own stderr (V8 fatal errors land here). */
  get stderr(): string {
    return this.stderrTail;
  }

  /** Resolves when the kernel process has exited. */
  waitForExit(): Promise<KernelExit> {
    return this.exited;
  }

  async start(): Promise<void> {
    if (this.child) throw new Error("Kernel.start: already started");
    for (let attempt = 1; ; attempt++) {
      try {
        await this.startOnce();
        return;
      } catch (e) {
        await this.cleanup();
        // A port taken between choosing it and the kernel binding it: try again with new ports.
        const fixedPorts = Object.keys(this.options.connection ?? {}).some((k) => k.endsWith("_port"));
        if (attempt >= 3 || fixedPorts || !PORT_CLASH.test(this.stderrTail)) throw e;
        this.child = null;
        this.exitInfo = null;
        this.closed = false;
        this.stderrTail = "";
      }
    }
  }

  private async startOnce(): Promise<void> {
    const t0 = performance.now();
    this.startT0 = t0;
    const opts = this.options;
    const zmq = await import("zeromq");
    this.conn = { ...(await newConnectionInfo()), ...opts.connection };
    this.connFile = await writeConnectionFile(this.conn, opts.connectionDir);
    this.session = new Session(this.conn.key);

    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...opts.env })) if (v !== undefined) env[k] = v;
    const nodeArgs = [...(opts.nodeArgs ?? [])];
    if (opts.maxOldSpaceSizeMb) nodeArgs.push(`--max-old-space-size=${Math.round(opts.maxOldSpaceSizeMb)}`);
    const args = [...nodeArgs, opts.tslabBin ?? TSLAB_BIN, "kernel", "--config-path", this.connFile];
    if (opts.js) args.push("--js");

    const child = spawn(process.execPath, args, {
      cwd: opts.cwd ?? process.cwd(),
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    this.startPhases.spawnedMs = performance.now() - t0;
    live.add(this);
    installExitHook();
    child.stdout!.setEncoding("utf8").on("data", (s: string) => opts.onKernelOutput?.("stdout", s));
    // tslab logs a failed bind ("Address already in use") as an unhandled rejection and keeps
    // running without sockets: treat it as a failed start right away (start() retries once).
    let rejectPortClash: (e: Error) => void = () => {};
    const portClash = new Promise<never>((_, reject) => (rejectPortClash = reject));
    portClash.catch(() => {});
    child.stderr!.setEncoding("utf8").on("data", (s: string) => {
      this.stderrTail = (this.stderrTail + s).slice(-LOG_TAIL);
      opts.onKernelOutput?.("stderr", s);
      if (PORT_CLASH.test(s)) rejectPortClash(new KernelStartError("a kernel port was taken by another process", this.stderrTail));
    });
    const spawnError = new Promise<never>((_, reject) =>
      child.once("error", (e) => reject(new KernelStartError(`cannot spawn the kernel: ${e.message}`, ""))),
    );
    spawnError.catch(() => {});
    const drained = Promise.all(
      [child.stdout!, child.stderr!].map((s) => new Promise<void>((resolve) => s.once("close", resolve))),
    );
    this.exited = new Promise<KernelExit>((resolve) => {
      child.once("exit", (code, signal) => {
        if (this.child !== child) return; // a failed earlier attempt
        const info = { code, signal };
        this.exitInfo = info;
        live.delete(this);
        // Let the last stderr (e.g. V8's "heap out of memory") arrive before reporting the death.
        void Promise.race([drained, sleep(200)]).then(() => resolve(info));
      });
    });

    // linger 0: closing never waits on undelivered messages; a short reconnect interval because the
    // kernel binds its ports only after it has loaded TypeScript (~1-2 s after spawn).
    const linger = { linger: 0, reconnectInterval: 20 };
    this.shell = new zmq.Dealer(linger);
    this.control = new zmq.Dealer(linger);
    this.iopub = new zmq.Subscriber(linger);
    this.iopub.subscribe();
    this.shell.connect(endpoint(this.conn, this.conn.shell_port));
    this.control.connect(endpoint(this.conn, this.conn.control_port));
    this.iopub.connect(endpoint(this.conn, this.conn.iopub_port));
    void this.pump(this.shell, "shell");
    void this.pump(this.control, "control");
    void this.pump(this.iopub, "iopub");

    const timeoutMs = opts.startTimeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new KernelStartError(`kernel not ready after ${timeoutMs / 1000} s`, this.stderrTail)),
        timeoutMs,
      );
    });
    const died = this.waitForExit().then((e) => {
      throw new KernelStartError(`kernel ${e.signal ? "was " : ""}${describeExit(e)} while starting`, this.stderrTail);
    });
    try {
      await Promise.race([this.waitReady(), timeout, died, spawnError, portClash]);
    } finally {
      clearTimeout(timer);
    }
    this.startSeconds = (performance.now() - t0) / 1000;
    this.startPhases.readyMs = this.startSeconds * 1000;
  }

  /**
   * Ready = kernel_info_reply on shell, then an iopub message proving the SUB socket is connected
   * (a PUB drops messages for subscribers that have not finished connecting: the "slow joiner").
   * kernel_info_request is re-sent until the kernel's status for it shows up on iopub.
   */
  private async waitReady(): Promise<void> {
    const first = await this.request(this.shell!, "kernel_info_request", {});
    this.info = first.content;
    this.startPhases.kernelInfoMs = performance.now() - this.startT0;
    for (;;) {
      const req = this.session!.request("kernel_info_request", {});
      const seen = new Promise<void>((resolve) => {
        this.handlers.set(req.header.msg_id, (channel) => {
          if (channel === "iopub") resolve();
        });
      });
      await this.send(this.shell!, req);
      const ok = await Promise.race([seen.then(() => true), sleep(50).then(() => false)]);
      this.handlers.delete(req.header.msg_id);
      if (ok) return;
      if (this.exitInfo) return; // the race in startOnce reports it
    }
  }

  /** Sends a request and resolves with its reply on the same socket. */
  private request(sock: Zmq.Dealer, msgType: string, content: object): Promise<JupyterMessage> {
    const req = this.session!.request(msgType, content);
    const channel: Channel = sock === this.shell ? "shell" : "control";
    return new Promise((resolve, reject) => {
      this.handlers.set(req.header.msg_id, (ch, msg) => {
        if (ch === channel && msg.header.msg_type.endsWith("_reply")) {
          this.handlers.delete(req.header.msg_id);
          resolve(msg);
        }
      });
      this.send(sock, req).catch(reject);
    });
  }

  /** zeromq allows one send in flight per socket: chain them. */
  private send(sock: Zmq.Dealer, msg: JupyterMessage<unknown>): Promise<void> {
    const frames = this.session!.encode(msg);
    const prev = this.sendChains.get(sock) ?? Promise.resolve();
    const next = prev.catch(() => {}).then(() => sock.send(frames));
    this.sendChains.set(sock, next);
    return next;
  }

  private async pump(sock: Zmq.Dealer | Zmq.Subscriber, channel: Channel): Promise<void> {
    try {
      for await (const frames of sock) {
        let msg: JupyterMessage;
        try {
          msg = this.session!.decode(frames);
        } catch (e) {
          this.options.onKernelOutput?.("stderr", `[runner] dropped a ${channel} message: ${(e as Error).message}\n`);
          continue;
        }
        const parent = msg.parentHeader.msg_id;
        const h = parent ? this.handlers.get(parent) : undefined;
        h?.(channel, msg);
      }
    } catch (e) {
      if (!this.closed) {
        this.options.onKernelOutput?.("stderr", `[runner] ${channel} socket failed: ${(e as Error).message}\n`);
      }
    }
  }

  /**
   * Executes `code` and resolves when the kernel has finished it (execute_reply received and iopub
   * idle for it), or it timed out, or the kernel died. Never rejects for kernel-side failures:
   * look at `status` and `error`. Executions are serialised (one at a time).
   */
  async execute(code: string, opts: ExecuteOptions = {}): Promise<ExecuteResult> {
    if (this.busy) throw new Error("Kernel.execute: another execution is in progress");
    if (!this.session) throw new Error("Kernel.execute: kernel not started");
    this.busy = true;
    try {
      const wait = this.lastErrorAt + ABORT_WINDOW_MS - Date.now();
      if (wait > 0 && this.alive) await sleep(wait);
      let r = await this.executeOnce(code, opts);
      // tslab's abort window is a timer in the kernel, which runs late on a loaded machine; an
      // aborted request never ran, so sending it again is safe.
      for (let retry = 1; r.status === "aborted" && this.lastErrorAt > 0 && retry <= 5; retry++) {
        await sleep(ABORT_WINDOW_MS * retry);
        r = await this.executeOnce(code, opts);
      }
      if (r.status !== "ok") this.lastErrorAt = Date.now();
      return r;
    } finally {
      this.busy = false;
    }
  }

  private executeOnce(code: string, opts: ExecuteOptions): Promise<ExecuteResult> {
    const collector = new OutputCollector(opts.displays, opts.onOutput);
    const timing: Record<string, string> = {};
    const t0 = performance.now();
    const timeoutMs = opts.timeoutMs ?? this.options.timeoutMs ?? 300_000;
    const graceMs = this.options.interruptGraceMs ?? 2_000;

    const result = (status: ExecuteStatus, executionCount: number | null, error?: CellError): ExecuteResult => ({
      status,
      executionCount,
      outputs: collector.finalOutputs(),
      error,
      seconds: (performance.now() - t0) / 1000,
      timing,
      exit: status === "died" ? (this.exitInfo ?? undefined) : undefined,
    });
    const diedError = (): CellError => {
      const e = this.exitInfo ?? { code: null, signal: null };
      const tail = this.stderrTail.trim().split("\n").slice(-20);
      return {
        ename: "KernelDied",
        evalue: `the kernel ${e.signal ? "was " : ""}${describeExit(e)} while running this cell`,
        traceback: tail.length && tail[0] ? tail : [`kernel ${describeExit(e)}`],
      };
    };
    if (!this.alive) {
      const err = diedError();
      collector.addError(err);
      return Promise.resolve(result("died", null, err));
    }

    const req = this.session!.request("execute_request", {
      code,
      silent: false,
      store_history: opts.storeHistory ?? true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
    });
    const id = req.header.msg_id;

    return new Promise<ExecuteResult>((resolve) => {
      let reply: JupyterMessage | null = null;
      let idle = false;
      let timedOut = false;
      let settled = false;
      const timers: NodeJS.Timeout[] = [];

      const finish = (r: ExecuteResult) => {
        if (settled) return;
        settled = true;
        this.handlers.delete(id);
        timers.forEach(clearTimeout);
        resolve(r);
      };
      const timeoutError = (): CellError => {
        const s = timeoutMs / 1000;
        return {
          ename: "CellTimeout",
          evalue: `the cell did not finish within ${s} s`,
          traceback: [`CellTimeout: the cell did not finish within ${s} s (interrupted with SIGINT${this.alive ? "" : ", then the kernel was killed"})`],
        };
      };
      const maybeDone = () => {
        if (!reply || !idle) return;
        const content = reply.content as Record<string, any>;
        const count = typeof content.execution_count === "number" ? content.execution_count : null;
        if (timedOut) {
          collector.synthesizeError();
          const err = timeoutError();
          collector.addError(err);
          return finish(result("timeout", count, err));
        }
        if (content.status === "ok") return finish(result("ok", count));
        if (content.status === "abort" || content.status === "aborted") {
          const err = { ename: "Aborted", evalue: "the kernel aborted this request", traceback: [] };
          return finish(result("aborted", count, err));
        }
        const err =
          typeof content.ename === "string" && !collector.errorInfo()
            ? { ename: content.ename, evalue: String(content.evalue ?? ""), traceback: content.traceback ?? [] }
            : collector.synthesizeError();
        if (!collector.errorInfo()) collector.addError(err);
        return finish(result("error", count, err));
      };

      this.handlers.set(id, (channel, msg) => {
        const type = msg.header.msg_type;
        if (channel === "iopub") {
          if (type === "status") {
            const state = (msg.content as { execution_state?: string }).execution_state;
            if (state === "busy") timing["iopub.status.busy"] = msg.header.date;
            if (state === "idle") {
              timing["iopub.status.idle"] = msg.header.date;
              idle = true;
              maybeDone();
            }
          } else if (type === "execute_input") {
            timing["iopub.execute_input"] = msg.header.date;
          } else {
            collector.handle(msg);
          }
        } else if (channel === "shell" && type === "execute_reply") {
          reply = msg;
          const started = (msg.metadata as { started?: string }).started;
          if (started) timing["shell.execute_reply.started"] = started;
          timing["shell.execute_reply"] = msg.header.date;
          maybeDone();
        }
      });

      void this.waitForExit().then(() => {
        if (settled) return;
        if (timedOut) {
          const err = timeoutError();
          collector.addError(err);
          return finish(result("timeout", null, err));
        }
        const err = diedError();
        collector.addError(err);
        finish(result("died", null, err));
      });

      if (Number.isFinite(timeoutMs)) {
        timers.push(
          setTimeout(() => {
            timedOut = true;
            this.interrupt();
            timers.push(setTimeout(() => this.killSync(), graceMs));
          }, timeoutMs),
        );
      }

      this.send(this.shell!, req).catch((e) => {
        const err = { ename: "SendError", evalue: (e as Error).message, traceback: [] };
        collector.addError(err);
        finish(result("died", null, err));
      });
    });
  }

  /** Interrupts the running cell (SIGINT, like Jupyter for kernels with interrupt_mode "signal"). */
  interrupt(): void {
    if (this.alive) this.child!.kill("SIGINT");
  }

  /** SIGKILLs the kernel now (no cleanup of sockets/files; use kill() or shutdown() for that). */
  killSync(): void {
    if (this.alive) {
      try {
        this.child!.kill("SIGKILL");
      } catch {
        /* already gone */
      }
    }
  }

  /** Kills the kernel process and releases sockets and the connection file. */
  async kill(): Promise<void> {
    if (this.alive) {
      this.killSync();
      await Promise.race([this.waitForExit(), sleep(5_000)]);
    }
    await this.cleanup();
  }

  /**
   * Asks the kernel to shut down (shutdown_request on control), waits up to `graceMs` for the
   * process to exit, then kills it. Always releases sockets and the connection file. Idempotent.
   */
  async shutdown(graceMs = 1_000): Promise<void> {
    if (this.alive && this.control && this.session) {
      const req = this.session.request("shutdown_request", { restart: false });
      await Promise.race([this.send(this.control, req), sleep(graceMs)]).catch(() => {});
      await Promise.race([this.waitForExit(), sleep(graceMs)]);
    }
    await this.kill();
  }

  private async cleanup(): Promise<void> {
    this.closed = true;
    this.handlers.clear();
    for (const s of [this.shell, this.control, this.iopub]) {
      try {
        s?.close();
      } catch {
        /* already closed */
      }
    }
    this.shell = this.control = null;
    this.iopub = null;
    this.sendChains.clear();
    if (this.alive) this.killSync();
    if (this.connFile) {
      await fs.rm(this.connFile, { force: true });
      this.connFile = null;
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
