/**
 * The membrane between a hidden test (trusted thread) and the student's exercise code (a worker
 * thread: its own V8 isolate, globals, TensorFlow.js and gan-course).
 *
 * Nothing crosses but data. A test calls the student's function through a stub that encodes the
 * arguments, posts them to the worker and blocks (Atomics.wait on a SharedArrayBuffer, then
 * receiveMessageOnPort: a synchronous call, so tests can be synchronous) until the worker replies
 * with the encoded result. Encoding:
 *   primitives as themselves; arrays, plain objects, Map, Set, Date, typed arrays by value;
 *   tensors (and variables) by value {shape, dtype, values} - rebuilt with the receiver's own tf;
 *   symbolic inputs (`tf.input(...)` placeholders, for exercises that build layers) as their batch
 *   shape and dtype - rebuilt as the worker's own `tf.input`, so what a student's block returns
 *   is a worker-side SymbolicTensor the test walks through handles (`.sourceLayer`, `.inputs`);
 *   functions as callable handles; the worker's other objects (a tf.LayersModel a student returns,
 *   an optimizer) as handles the trusted side reaches only through property get/set/call requests
 *   answered with more encoded data.
 * The trusted side never hands out handles to its own objects: it passes data, tensors, and
 * callbacks that are callable only while the call they were passed to is running. So student code,
 * whatever it patches in its own isolate (Math, JSON, Object.prototype, tf, lib.check, process),
 * can only change the *data* it returns; the verdict is computed with the test's untouched realm.
 *
 * This file has no imports: it is bundled into the worker (scripts/grader/bundle.ts) and used as is
 * in the trusted thread. Both pass in their own `tf` and `receiveMessageOnPort`.
 */

export type Encoded = unknown;

export interface RemoteError {
  name: string;
  message: string;
  stack?: string;
}

export interface Request {
  t: "req";
  seq: number;
  op: "call" | "new" | "get" | "set" | "has" | "keys" | "vjp";
  target: number;
  self?: Encoded;
  args?: Encoded[];
  prop?: string;
  value?: Encoded;
  /** vjp: positions of the tensor arguments to differentiate with respect to. */
  positions?: number[];
}

export interface Reply {
  t: "res";
  seq: number;
  ok: boolean;
  v?: Encoded;
  err?: RemoteError;
  /** The value was a promise: `ok`/`v`/`err` are its outcome. */
  promise?: boolean;
}

export interface SideOptions {
  port: any; // MessagePort
  /** Int32Array over a SharedArrayBuffer of 2 slots: [0] wakes the trusted side, [1] the worker. */
  signal: Int32Array;
  side: "trusted" | "worker";
  tf: any;
  receiveMessageOnPort: (port: any) => { message: any } | undefined;
  /** The Tensor class and a reader of a tensor's values, captured before untrusted code ran (default: tf's, looked up when used). */
  tensorClass?: any;
  readTensor?: (t: any) => ArrayLike<unknown>;
}

const TENSOR_DTYPES = new Set(["float32", "int32", "bool", "string"]);
const MAX_DEPTH = 64;
const MAX_NODES = 2_000_000;
const MAX_ELEMENTS = 50_000_000;

export class TimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TimeoutError";
  }
}

function errorInfo(e: unknown): RemoteError {
  try {
    if (e && typeof e === "object") {
      const name = typeof (e as any).name === "string" ? (e as any).name : "Error";
      const message = typeof (e as any).message === "string" ? (e as any).message : String(e);
      const stack = typeof (e as any).stack === "string" ? (e as any).stack : undefined;
      return { name: name.slice(0, 200), message: message.slice(0, 20_000), stack: stack?.slice(0, 20_000) };
    }
    return { name: "Error", message: `${typeof e === "symbol" ? e.toString() : String(e)}`.slice(0, 20_000) };
  } catch {
    return { name: "Error", message: "an exception that cannot be described" };
  }
}

function isPlainObject(v: object): boolean {
  const p = Object.getPrototypeOf(v);
  return p === null || p === Object.prototype;
}

export class Side {
  readonly side: "trusted" | "worker";
  private port: any;
  private signal: Int32Array;
  private tf: any;
  private tensorClass: any;
  private readTensor: (t: any) => ArrayLike<unknown>;
  private receive: SideOptions["receiveMessageOnPort"];
  private me: number;
  private other: number;
  private seq = 0;
  private nextId = 1;
  /** Objects/functions of this side the other side may reach, by id. */
  private local = new Map<number, unknown>();
  private localIds = new Map<unknown, number>();
  /** Proxies/stubs standing for the other side's objects. */
  private stubIds = new WeakMap<object, number>();
  private stubs = new Map<number, WeakRef<object>>();
  /** Trusted side: callbacks registered during the outgoing call at this depth (revoked after). */
  private scoped: number[][] = [];
  /** Absolute deadline (performance.now() ms) of the current synchronous call. */
  deadline = Infinity;
  /** Set when a call timed out: the other side may still be running it. */
  poisoned = false;
  /** Worker side: requests of the trusted side being served (callbacks are usable only then). */
  private serving = 0;

  constructor(opts: SideOptions) {
    this.side = opts.side;
    this.port = opts.port;
    this.signal = opts.signal;
    this.tf = opts.tf;
    this.tensorClass = opts.tensorClass;
    this.readTensor = opts.readTensor ?? ((t) => t.dataSync());
    this.receive = opts.receiveMessageOnPort;
    this.me = opts.side === "trusted" ? 0 : 1;
    this.other = 1 - this.me;
  }

  // ---------------------------------------------------------------- encoding

  encode(v: unknown, seen = new Set<object>(), depth = 0, budget = { nodes: 0, elements: 0 }): Encoded {
    if (++budget.nodes > MAX_NODES) throw new RangeError("value too large to pass between the test and the exercise");
    if (v === null || v === undefined || typeof v === "number" || typeof v === "string" || typeof v === "boolean" || typeof v === "bigint") {
      return v;
    }
    if (typeof v === "symbol") throw new TypeError("symbols cannot be passed between the test and the exercise");
    if (depth > MAX_DEPTH) throw new RangeError("value nested too deeply to pass between the test and the exercise");
    const stubId = this.stubIds.get(v as object);
    if (stubId !== undefined) return { $: "r", id: stubId };
    if (typeof v === "function") return { $: "f", id: this.register(v, true), name: safeName(v) };
    const o = v as object;
    if (seen.has(o)) throw new TypeError("cyclic values cannot be passed between the test and the exercise");
    seen.add(o);
    try {
      const Tensor = this.tensorClass ?? this.tf?.Tensor;
      if (Tensor && o instanceof Tensor) {
        const t = o as any;
        if (t.isDisposed) throw new Error("a disposed tensor cannot be passed between the test and the exercise");
        const dtype = t.dtype;
        if (!TENSOR_DTYPES.has(dtype)) throw new TypeError(`tensors of dtype ${dtype} cannot be passed between the test and the exercise`);
        budget.elements += t.size;
        if (budget.elements > MAX_ELEMENTS) throw new RangeError("tensors too large to pass between the test and the exercise");
        const values = this.readTensor(t);
        // Copied by the structured clone of postMessage.
        return { $: "t", shape: t.shape, dtype, v: values };
      }
      if (Array.isArray(o)) return { $: "a", v: o.map((x) => this.encode(x, seen, depth + 1, budget)) };
      if (ArrayBuffer.isView(o)) {
        budget.elements += (o as ArrayBufferView).byteLength / 4;
        if (budget.elements > MAX_ELEMENTS) throw new RangeError("arrays too large to pass between the test and the exercise");
        return { $: "ta", v: o instanceof DataView ? new DataView(o.buffer.slice(o.byteOffset, o.byteOffset + o.byteLength)) : (o as any).slice() };
      }
      if (o instanceof ArrayBuffer) return { $: "ab", v: o.slice(0) };
      if (o instanceof Date) return { $: "d", v: o.getTime() };
      if (o instanceof Map) return { $: "m", v: Array.from(o.entries()).map(([k, x]) => [this.encode(k, seen, depth + 1, budget), this.encode(x, seen, depth + 1, budget)]) };
      if (o instanceof Set) return { $: "s", v: Array.from(o.values()).map((x) => this.encode(x, seen, depth + 1, budget)) };
      if (o instanceof Error) return { $: "e", ...errorInfo(o) };
      if (isPlainObject(o)) {
        const out: Record<string, Encoded> = {};
        for (const k of Object.keys(o)) {
          Object.defineProperty(out, k, { value: this.encode((o as any)[k], seen, depth + 1, budget), enumerable: true, writable: true, configurable: true });
        }
        return { $: "o", v: out };
      }
      if (typeof (o as any).then === "function" && this.side === "trusted") {
        throw new TypeError("promises cannot be passed to the exercise");
      }
      const SymbolicTensor = this.tf?.SymbolicTensor;
      if (this.side === "trusted" && SymbolicTensor && o instanceof SymbolicTensor) {
        const st = o as any;
        if (st.sourceLayer?.getClassName?.() !== "InputLayer") throw new TypeError("only symbolic inputs (tf.input) can be passed to the student's code, not a layer's output");
        return { $: "si", shape: st.shape, dtype: st.dtype };
      }
      if (this.side === "trusted") {
        const cls = safeName((o as any).constructor) || "object";
        throw new TypeError(`a ${cls} cannot be passed to the student's code; hidden tests pass data, tensors and functions`);
      }
      return { $: "h", id: this.register(o, false), cls: safeName((o as any).constructor) };
    } finally {
      seen.delete(o);
    }
  }

  private register(v: unknown, isFunction: boolean): number {
    const known = this.localIds.get(v);
    if (known !== undefined && this.local.has(known)) return known;
    const id = this.nextId++;
    this.local.set(id, v);
    this.localIds.set(v, id);
    // The trusted side's functions are callbacks of the current call only.
    if (this.side === "trusted" && isFunction && this.scoped.length) this.scoped[this.scoped.length - 1].push(id);
    return id;
  }

  decode(e: Encoded, depth = 0): unknown {
    if (e === null || e === undefined || typeof e === "number" || typeof e === "string" || typeof e === "boolean" || typeof e === "bigint") return e;
    if (typeof e !== "object" || depth > MAX_DEPTH + 2) throw new TypeError("malformed value from the other side");
    const x = e as Record<string, any>;
    switch (x.$) {
      case "a":
        if (!Array.isArray(x.v)) throw new TypeError("malformed array");
        return x.v.map((y: Encoded) => this.decode(y, depth + 1));
      case "o": {
        const out: Record<string, unknown> = {};
        if (!x.v || typeof x.v !== "object") throw new TypeError("malformed object");
        for (const k of Object.keys(x.v)) {
          Object.defineProperty(out, k, { value: this.decode(x.v[k], depth + 1), enumerable: true, writable: true, configurable: true });
        }
        return out;
      }
      case "t": {
        const shape = x.shape;
        const dtype = x.dtype;
        if (!Array.isArray(shape) || !shape.every((d: unknown) => Number.isInteger(d) && (d as number) >= 0)) throw new TypeError("malformed tensor shape");
        if (!TENSOR_DTYPES.has(dtype)) throw new TypeError("malformed tensor dtype");
        const size = shape.reduce((a: number, b: number) => a * b, 1);
        const values = x.v;
        const okValues = dtype === "string" ? Array.isArray(values) && values.every((s: unknown) => typeof s === "string") : ArrayBuffer.isView(values);
        if (!okValues || (values as { length: number }).length !== size) throw new TypeError("malformed tensor values");
        return this.tf.tensor(values, shape, dtype);
      }
      case "si": {
        if (this.side !== "worker") throw new TypeError("unexpected symbolic input");
        const shape = x.shape;
        if (!Array.isArray(shape) || shape.length < 1 || shape.length > 8 || !shape.every((d: unknown) => d === null || (Number.isInteger(d) && (d as number) > 0 && (d as number) <= 1 << 16))) throw new TypeError("malformed symbolic input shape");
        if (x.dtype !== "float32" && x.dtype !== "int32") throw new TypeError("malformed symbolic input dtype");
        return this.tf.input({ batchShape: shape, dtype: x.dtype });
      }
      case "ta":
        if (!ArrayBuffer.isView(x.v)) throw new TypeError("malformed typed array");
        return x.v;
      case "ab":
        if (!(x.v instanceof ArrayBuffer)) throw new TypeError("malformed ArrayBuffer");
        return x.v;
      case "d":
        return new Date(Number(x.v));
      case "m":
        if (!Array.isArray(x.v)) throw new TypeError("malformed Map");
        return new Map(x.v.map((kv: any) => [this.decode(kv?.[0], depth + 1), this.decode(kv?.[1], depth + 1)]));
      case "s":
        if (!Array.isArray(x.v)) throw new TypeError("malformed Set");
        return new Set(x.v.map((y: Encoded) => this.decode(y, depth + 1)));
      case "e": {
        const err = new Error(String(x.message ?? ""));
        Object.defineProperty(err, "name", { value: String(x.name ?? "Error"), configurable: true, writable: true });
        return err;
      }
      case "r": {
        // One of our own objects coming back.
        const id = Number(x.id);
        if (!this.local.has(id)) throw new ReferenceError("a callback passed to the exercise was used after its call ended");
        return this.local.get(id);
      }
      case "f":
        return this.functionStub(Number(x.id), typeof x.name === "string" ? x.name : "");
      case "h":
        if (this.side !== "trusted") throw new TypeError("unexpected object handle");
        return this.objectStub(Number(x.id), typeof x.cls === "string" ? x.cls : "");
      default:
        throw new TypeError("malformed value from the other side");
    }
  }

  private remember(id: number, stub: object): object {
    this.stubIds.set(stub, id);
    this.stubs.set(id, new WeakRef(stub));
    return stub;
  }

  private functionStub(id: number, name: string): unknown {
    const existing = this.stubs.get(id)?.deref();
    if (existing) return existing;
    const side = this;
    const stub = function (this: unknown, ...args: unknown[]) {
      if (new.target) return side.request({ op: "new", target: id, args });
      if (side.side === "trusted") return side.callDifferentiable(id, this, args);
      return side.request({ op: "call", target: id, self: this, args });
    };
    try {
      Object.defineProperty(stub, "name", { value: name || "exercise function" });
    } catch {
      /* keep */
    }
    return this.remember(id, stub);
  }

  /**
   * A call of a student function from a test. When tensors are among the arguments the call is
   * wrapped in tf.customGrad, so that a test can differentiate through the student's function
   * (tf.grad(x => f(x))): the gradient is computed in the student's isolate, by calling the function
   * again there under tf.grads with the upstream gradient dy (a vector-Jacobian product).
   */
  private callDifferentiable(id: number, self: unknown, args: unknown[]): unknown {
    const tf = this.tf;
    const positions = args.map((a, i) => (tf && a instanceof tf.Tensor && (a as any).dtype === "float32" ? i : -1)).filter((i) => i >= 0);
    if (!positions.length || typeof tf?.customGrad !== "function") return this.request({ op: "call", target: id, self, args });
    let other: { v: unknown } | null = null;
    const g = tf.customGrad((...inputs: unknown[]) => {
      const xs = inputs.slice(0, positions.length);
      const callArgs = args.slice();
      positions.forEach((p, k) => (callArgs[p] = xs[k]));
      const v = this.request({ op: "call", target: id, self, args: callArgs });
      if (!(v instanceof tf.Tensor)) {
        other = { v };
        return { value: tf.scalar(0), gradFunc: () => xs.map((x) => tf.zerosLike(x)) };
      }
      return {
        value: v,
        gradFunc: (dy: unknown) => {
          const grads = this.request({ op: "vjp", target: id, self, args: callArgs, value: dy, positions });
          if (!Array.isArray(grads) || grads.length !== xs.length || !grads.every((t) => t instanceof tf.Tensor)) {
            throw new Error("the exercise's function is not differentiable with respect to its tensor arguments");
          }
          return grads;
        },
      };
    });
    const out = g(...positions.map((p) => args[p]));
    return other ? (other as { v: unknown }).v : out;
  }

  private encodeSelf(self: unknown): Encoded {
    if (self === undefined || self === null || self === globalThis) return undefined;
    const id = typeof self === "object" || typeof self === "function" ? this.stubIds.get(self as object) : undefined;
    return id !== undefined ? { $: "r", id } : undefined;
  }

  private objectStub(id: number, cls: string): unknown {
    const existing = this.stubs.get(id)?.deref();
    if (existing) return existing;
    const side = this;
    const target: Record<string, unknown> = {};
    let proxy: object;
    const handler: ProxyHandler<Record<string, unknown>> = {
      get(_t, prop) {
        if (typeof prop === "symbol") {
          if (prop === Symbol.toStringTag) return cls || "Object";
          return undefined;
        }
        if (prop === "then") return undefined; // not a thenable
        const v = side.request({ op: "get", target: id, prop });
        // Methods keep their receiver: model.predict(x) calls predict with this = model.
        if (typeof v === "function") {
          return function (this: unknown, ...args: unknown[]) {
            return Reflect.apply(v as (...a: unknown[]) => unknown, this === undefined || this === globalThis ? proxy : this, args);
          };
        }
        return v;
      },
      set(_t, prop, value) {
        if (typeof prop === "symbol") return false;
        side.request({ op: "set", target: id, prop, value });
        return true;
      },
      has(_t, prop) {
        if (typeof prop === "symbol") return false;
        return side.request({ op: "has", target: id, prop }) === true;
      },
      ownKeys() {
        const keys = side.request({ op: "keys", target: id });
        return Array.isArray(keys) ? keys.filter((k) => typeof k === "string") : [];
      },
      getOwnPropertyDescriptor(_t, prop) {
        if (typeof prop === "symbol") return undefined;
        return { value: handler.get!(target, prop, proxy), enumerable: true, configurable: true, writable: true };
      },
      getPrototypeOf() {
        return Object.prototype;
      },
      defineProperty() {
        return false;
      },
      deleteProperty() {
        return false;
      },
    };
    proxy = new Proxy(target, handler);
    return this.remember(id, proxy);
  }

  // ---------------------------------------------------------------- transport

  private post(msg: Request | Reply): void {
    this.port.postMessage(msg);
    Atomics.add(this.signal, this.other, 1);
    Atomics.notify(this.signal, this.other);
  }

  /**
   * Sends a request and blocks until its reply, serving the other side's nested requests meanwhile.
   * Arguments are encoded here, inside the call's scope: the trusted side's functions among them
   * are callable by the worker only until this call returns.
   */
  request(raw: { op: Request["op"]; target: number; self?: unknown; args?: unknown[]; prop?: string; value?: unknown; positions?: number[] }): unknown {
    if (this.poisoned) throw new Error("the exercise is not answering any more (an earlier call timed out)");
    if (this.side === "worker" && this.serving === 0) throw new Error("a callback from the test was used after the call it was given to had returned");
    const seq = ++this.seq;
    this.scoped.push([]);
    try {
      const req: Request = { t: "req", seq, op: raw.op, target: raw.target };
      if (raw.prop !== undefined) req.prop = raw.prop;
      if ("value" in raw) req.value = this.encode(raw.value);
      if (raw.args) req.args = raw.args.map((a) => this.encode(a));
      if (raw.positions) req.positions = raw.positions;
      if (raw.op === "call" || raw.op === "vjp") req.self = this.encodeSelf(raw.self);
      this.post(req);
      for (;;) {
        const got = this.receive(this.port);
        if (got) {
          const msg = got.message;
          if (msg && msg.t === "res" && msg.seq === seq) return this.settle(msg as Reply);
          if (msg && msg.t === "req") this.post(this.serveNested(msg as Request));
          continue; // stale replies of calls that timed out
        }
        const seen = Atomics.load(this.signal, this.me);
        const again = this.receive(this.port);
        if (again) {
          const msg = again.message;
          if (msg && msg.t === "res" && msg.seq === seq) return this.settle(msg as Reply);
          if (msg && msg.t === "req") this.post(this.serveNested(msg as Request));
          continue;
        }
        const left = this.deadline - performance.now();
        if (left <= 0) {
          this.poisoned = true;
          throw new TimeoutError("the exercise code did not return in time (time limit of the test case)");
        }
        Atomics.wait(this.signal, this.me, seen, Math.min(left, 1_000));
      }
    } finally {
      for (const id of this.scoped.pop() ?? []) {
        const v = this.local.get(id);
        this.local.delete(id);
        this.localIds.delete(v);
      }
    }
  }

  private settle(reply: Reply): unknown {
    if (reply.promise) {
      if (reply.ok) {
        const v = this.decode(reply.v);
        return Promise.resolve(v);
      }
      return Promise.reject(this.toError(reply.err));
    }
    if (reply.ok) return this.decode(reply.v);
    throw this.toError(reply.err);
  }

  private toError(info: RemoteError | undefined): Error {
    const e = new Error(String(info?.message ?? "error"));
    Object.defineProperty(e, "name", { value: String(info?.name ?? "Error"), configurable: true, writable: true });
    return e;
  }

  private lookup(id: number): unknown {
    if (!this.local.has(id)) throw new ReferenceError("unknown or expired reference");
    return this.local.get(id);
  }

  /** Executes a request; the result may be a promise (worker side: async student functions). */
  private execute(req: Request): unknown {
    const target = this.lookup(req.target) as any;
    const args = () => (Array.isArray(req.args) ? req.args.map((a) => this.decode(a)) : []);
    if (this.side === "trusted") {
      // The worker may only call the callbacks it was given.
      if (req.op !== "call" || typeof target !== "function") throw new TypeError("operation not allowed");
      return Reflect.apply(target, undefined, args());
    }
    switch (req.op) {
      case "call": {
        if (typeof target !== "function") throw new TypeError("not a function");
        const self = req.self === undefined ? undefined : this.decode(req.self);
        return Reflect.apply(target, self, args());
      }
      case "new":
        if (typeof target !== "function") throw new TypeError("not a constructor");
        return Reflect.construct(target, args());
      case "vjp": {
        if (typeof target !== "function") throw new TypeError("not a function");
        const self = req.self === undefined ? undefined : this.decode(req.self);
        const all = args();
        const positions = Array.isArray(req.positions) ? req.positions.filter((p) => Number.isInteger(p) && p >= 0 && p < all.length) : [];
        const dy = this.decode(req.value);
        const f = (...xs: unknown[]) => {
          const a = all.slice();
          positions.forEach((p, k) => (a[p] = xs[k]));
          return Reflect.apply(target, self, a);
        };
        return this.tf.grads(f)(positions.map((p) => all[p]), dy);
      }
      case "get": {
        const v = target[String(req.prop)];
        return v;
      }
      case "set":
        target[String(req.prop)] = this.decode(req.value);
        return undefined;
      case "has":
        return String(req.prop) in target;
      case "keys":
        return Object.keys(target);
      default:
        throw new TypeError("unknown operation");
    }
  }

  private reply(seq: number, fn: () => unknown): Reply {
    try {
      return { t: "res", seq, ok: true, v: this.encode(fn()) };
    } catch (e) {
      return { t: "res", seq, ok: false, err: errorInfo(e) };
    }
  }

  /** Serves a request synchronously (while this side is itself blocked in a call). */
  serveNested(req: Request): Reply {
    let result: unknown;
    this.serving++;
    try {
      result = this.execute(req);
    } catch (e) {
      return { t: "res", seq: req.seq, ok: false, err: errorInfo(e) };
    } finally {
      this.serving--;
    }
    if (result && typeof (result as any).then === "function" && this.side === "trusted") {
      return { t: "res", seq: req.seq, ok: false, err: { name: "TypeError", message: "callbacks given to the exercise must return synchronously" } };
    }
    if (result instanceof Promise) {
      return { t: "res", seq: req.seq, ok: false, err: { name: "TypeError", message: "an async function cannot be called from inside a callback" } };
    }
    return this.reply(req.seq, () => result);
  }

  /** Worker side, idle: serves a request, awaiting async results, and posts the reply. */
  async serve(req: Request): Promise<void> {
    this.serving++;
    try {
      let result: unknown;
      try {
        result = this.execute(req);
      } catch (e) {
        this.post({ t: "res", seq: req.seq, ok: false, err: errorInfo(e) });
        return;
      }
      if (result instanceof Promise || (result && typeof (result as any).then === "function" && req.op === "call")) {
        let settled: Reply;
        try {
          const v = await result;
          settled = { ...this.reply(req.seq, () => v), promise: true };
        } catch (e) {
          settled = { t: "res", seq: req.seq, ok: false, err: errorInfo(e), promise: true };
        }
        this.post(settled);
        return;
      }
      this.post(this.reply(req.seq, () => result));
    } finally {
      this.serving--;
    }
  }
}

function safeName(v: unknown): string {
  try {
    const n = (v as { name?: unknown })?.name;
    return typeof n === "string" ? n.slice(0, 100) : "";
  } catch {
    return "";
  }
}
