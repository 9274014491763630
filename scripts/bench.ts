/**
 * `npm run bench`: how fast the course's GANs train on each TensorFlow.js backend, and against
 * PyTorch on the same CPU.
 *
 * Models (one training step = one D update + one G update, Adam(2e-4, 0.5, 0.999)):
 *   dcgan          the DCGAN-MNIST step exactly as ../shared/anchors/dcgan_torch.py specifies
 *                  (lib/models/dcgan.ts: createDcganStep, one G forward reused), batch 64;
 *   dcgan-trainer  the same models and loss through lib/train's GanTrainer (G runs twice);
 *   mlp-mnist      an MLP GAN on 28x28 images (G 100-256-512-784, D 784-512-256-1), batch 64;
 *   ring-mlp       the 2-D ring MLP GAN of the mode-collapse lesson (128-128), batch 256.
 * Data are random tensors of the right shapes: the cost of a step does not depend on the values.
 *
 * Backends: wasm (with lib/backend/wasm-kernels and --threads XNNPACK threads), wasm-stock (the
 * package as shipped: 1 thread, no training kernels; the conv models cannot train there), cpu
 * (pure JS: at most 2 timed steps; the DCGAN 1 step at batch --cpu-batch), tensorflow (tfjs-node,
 * when installed).
 * --threads defaults to one per core (lib's own default uses only idle cores).
 * Each backend runs in its own child process. When /usr/bin/python3 has torch, the PyTorch
 * anchor runs in the same invocation with the same thread count(s) and the ratio ours / PyTorch
 * is printed per thread count (and best against best when --threads lists several).
 * Reported: median ms per step over --steps timed steps (after --warmup steps; PyTorch's script
 * reports its mean), images/s and achieved GFLOP/s (FLOPs of convolutions and dense layers counted
 * analytically, only the gradients a step needs: see dcganStepFlops, 9.44 GFLOP per DCGAN step).
 * --profile adds the per-kernel ms per step of the wasm DCGAN step (wall and process-CPU clocks).
 * The load average is printed: on a shared machine every figure is slower and noisier.
 *
 *   npm run bench
 *   npm run bench -- --threads 1,2 --steps 20 --profile
 *   npm run bench -- --backends wasm --models dcgan --json
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Command } from "commander";

const REPO_ROOT = path.resolve(__dirname, "..");
const ANCHOR = path.resolve(REPO_ROOT, "../shared/anchors/dcgan_torch.py");
const PYTHON = "/usr/bin/python3";
const CHILD_TAG = "@@bench ";

const BACKENDS = ["wasm", "wasm-stock", "cpu", "tensorflow"] as const;
type BackendKey = (typeof BACKENDS)[number];
const MODELS = ["dcgan", "dcgan-trainer", "mlp-mnist", "ring-mlp"] as const;
type ModelKey = (typeof MODELS)[number];

export interface BenchRow {
  model: string;
  backend: string;
  batch: number;
  ms_per_step: number;
  imgs_per_s: number;
  gflops_per_s?: number;
  /** Process CPU time per step (all threads): what the step costs, whatever else runs on the machine. */
  cpu_ms_per_step?: number;
  threads?: number;
  steps?: number;
  note?: string;
  error?: string;
}

interface ChildOptions {
  backend: BackendKey;
  models: ModelKey[];
  steps: number;
  warmup: number;
  threads: number;
  cpuBatch: number;
  profile: boolean;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/* ------------------------------------------------------------------ child: one backend */

async function runChild(o: ChildOptions): Promise<void> {
  const tf = await import("@tensorflow/tfjs");
  const emit = (row: BenchRow | Record<string, unknown>) => process.stdout.write(CHILD_TAG + JSON.stringify(row) + "\n");
  let threads = 1;
  if (o.backend === "wasm") {
    process.env.GAN_COURSE_WASM_THREADS = String(o.threads);
    const { setupLesson } = await import("../lib/setup");
    threads = (await setupLesson({ backend: "wasm", seed: 1, verbose: false })).threads;
  } else if (o.backend === "wasm-stock") {
    require("@tensorflow/tfjs-backend-wasm");
    await tf.setBackend("wasm");
    await tf.ready();
  } else if (o.backend === "tensorflow") {
    require("@tensorflow/tfjs-node");
    await tf.setBackend("tensorflow");
    threads = os.cpus().length;
  } else {
    await tf.setBackend("cpu");
  }
  const { dcganGenerator, dcganDiscriminator, createDcganStep, dcganStepFlops, dcganLayerFlops } = await import("../lib/models/dcgan");
  const { mlpGenerator, mlpDiscriminator } = await import("../lib/models/mlp");
  const { GanTrainer } = await import("../lib/train/trainer");
  const { nonSaturatingLoss } = await import("../lib/losses/non-saturating");

  /** FLOPs of an MLP GAN step: same accounting as dcganStepFlops. */
  const mlpFlops = (batch: number, g: number[], d: number[]) => {
    const layers = (dims: number[]) => dims.slice(1).map((n, i) => 2 * batch * dims[i] * n);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const fg = layers(g), fd = layers(d);
    const gF = sum(fg), dF = sum(fd);
    return gF + 2 * (dF + dF + sum(fd.slice(1))) + (dF + dF + gF + sum(fg.slice(1)));
  };

  for (const model of o.models) {
    const onCpu = o.backend === "cpu";
    let batch = model === "ring-mlp" ? 256 : 64;
    let steps = o.steps, warmup = o.warmup;
    if (onCpu) {
      // Pure JS: a few steps are enough to see the order of magnitude (a DCGAN step takes minutes).
      steps = Math.min(steps, 2);
      warmup = Math.min(warmup, 1);
    }
    if (onCpu && model.startsWith("dcgan")) {
      batch = o.cpuBatch;
      steps = 1;
      warmup = 0;
    }
    const base: BenchRow = { model, backend: o.backend, batch, ms_per_step: NaN, imgs_per_s: NaN, threads, steps };
    if (onCpu && model === "dcgan-trainer") {
      emit({ ...base, steps: 0, note: "skipped: minutes per step on cpu (see the dcgan row)" });
      continue;
    }
    let run: () => void;
    let flops: number;
    let cleanup: () => void;
    try {
      if (model === "dcgan" || model === "dcgan-trainer") {
        const G = dcganGenerator(), D = dcganDiscriminator();
        const xReal = tf.randomUniform([batch, 28, 28, 1], -1, 1); // [batch, 28, 28, 1]
        if (model === "dcgan") {
          const s = createDcganStep(G, D);
          run = () => s.step(xReal);
          flops = dcganStepFlops(batch);
          cleanup = () => s.dispose();
        } else {
          const trainer = new GanTrainer({ generator: G, discriminator: D, loss: nonSaturatingLoss, latentDim: 100, batchSize: batch });
          run = () => trainer.step(() => ({ x: xReal.clone() }));
          const f = dcganLayerFlops(batch);
          flops = dcganStepFlops(batch) + f.gDense + f.gConvT1 + f.gConvT2; // G runs twice
          cleanup = () => trainer.dispose();
        }
        const prev = cleanup;
        cleanup = () => { prev(); tf.dispose([xReal, ...G.weights.map((w) => w.read()), ...D.weights.map((w) => w.read())]); };
      } else {
        const mnist = model === "mlp-mnist";
        const latentDim = mnist ? 100 : 2, dataDim = mnist ? 784 : 2;
        const gHidden = mnist ? [256, 512] : [128, 128], dHidden = mnist ? [512, 256] : [128, 128];
        const G = mlpGenerator({ latentDim, dataDim, hidden: gHidden, outputActivation: mnist ? "tanh" : "linear" });
        const D = mlpDiscriminator({ dataDim, hidden: dHidden });
        const lr = mnist ? 2e-4 : 1e-3;
        const s = createDcganStep(G, D, { latentDim, lrG: lr, lrD: lr });
        const xReal = mnist ? tf.randomUniform([batch, dataDim], -1, 1) : tf.randomNormal([batch, dataDim]);
        run = () => s.step(xReal);
        flops = mlpFlops(batch, [latentDim, ...gHidden, dataDim], [dataDim, ...dHidden, 1]);
        cleanup = () => { s.dispose(); tf.dispose([xReal, ...G.weights.map((w) => w.read()), ...D.weights.map((w) => w.read())]); };
      }
      for (let i = 0; i < warmup; i++) run();
      const times: number[] = [];
      const cpu0 = process.cpuUsage();
      for (let i = 0; i < steps; i++) {
        const t0 = performance.now();
        run();
        times.push(performance.now() - t0);
      }
      const cpu = process.cpuUsage(cpu0);
      const ms = median(times);
      emit({
        ...base, ms_per_step: +ms.toFixed(1), imgs_per_s: +((batch * 1000) / ms).toFixed(1), gflops_per_s: +(flops / ms / 1e6).toFixed(2),
        cpu_ms_per_step: +((cpu.user + cpu.system) / 1000 / steps).toFixed(1), note: onCpu && model.startsWith("dcgan") ? "1 step" : undefined,
      });
      if (o.profile && model === "dcgan" && o.backend.startsWith("wasm")) {
        const { profileKernels, cpuClockMs } = await import("../lib/backend/wasm-kernels/profile");
        const n = Math.max(2, Math.min(steps, 5));
        for (const clock of ["wall", "cpu"] as const) {
          const prof = await profileKernels("wasm", () => { for (let i = 0; i < n; i++) run(); }, clock === "cpu" ? cpuClockMs : undefined);
          emit({ profile: prof.map((p) => ({ kernel: p.kernel, calls: p.calls / n, ms: +(p.ms / n).toFixed(2) })), clock, backend: o.backend, model });
        }
      }
      cleanup();
    } catch (e) {
      const msg = (e as Error).message.split("\n")[0];
      emit({ ...base, error: msg });
    }
  }
}

/* ------------------------------------------------------------------ parent: orchestration */

function childRows(backend: BackendKey, o: Omit<ChildOptions, "backend">): Promise<{ rows: BenchRow[]; profiles: any[]; stderr: string }> {
  return new Promise((resolve) => {
    const args = [...process.execArgv, __filename, "--child", backend, "--models", o.models.join(","), "--steps", String(o.steps),
      "--warmup", String(o.warmup), "--threads", String(o.threads), "--cpu-batch", String(o.cpuBatch), ...(o.profile ? ["--profile"] : [])];
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => {
      const rows: BenchRow[] = [], profiles: any[] = [];
      for (const line of out.split("\n")) {
        if (!line.startsWith(CHILD_TAG)) continue;
        const obj = JSON.parse(line.slice(CHILD_TAG.length));
        (obj.profile ? profiles : rows).push(obj);
      }
      if (code !== 0 && rows.length === 0) {
        const why = err.split("\n").find((l) => /Error|Cannot find/.test(l)) ?? `exit code ${code}`;
        rows.push({ model: "*", backend, batch: 0, ms_per_step: NaN, imgs_per_s: NaN, error: why.trim() });
      }
      resolve({ rows, profiles, stderr: err });
    });
  });
}

function torchAvailable(): boolean {
  if (!fs.existsSync(PYTHON)) return false;
  return spawnSync(PYTHON, ["-c", "import torch"], { stdio: "ignore" }).status === 0;
}

function runTorch(threads: number, steps: number): Promise<BenchRow | null> {
  return new Promise((resolve) => {
    const child = spawn(PYTHON, [ANCHOR, "--threads", String(threads), "--steps", String(steps)], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("close", () => {
      const line = out.split("\n").find((l) => l.trim().startsWith("{"));
      if (!line) return resolve(null);
      const r = JSON.parse(line);
      resolve({ model: "dcgan", backend: `pytorch ${r.version}`, batch: r.batch, ms_per_step: r.ms_per_step, imgs_per_s: r.imgs_per_s, threads: r.threads, steps });
    });
  });
}

function fmt(n: number | undefined, digits = 1): string {
  return n === undefined || !Number.isFinite(n) ? "-" : n.toFixed(digits);
}

async function main(): Promise<void> {
  const program = new Command()
    .description("Training-step throughput of the course's GANs on each tfjs backend, and the PyTorch anchor")
    .option("--steps <n>", "timed steps per model (median reported)", (v) => parseInt(v, 10), 10)
    .option("--warmup <n>", "untimed steps first", (v) => parseInt(v, 10), 3)
    .option("--threads <list>", "wasm XNNPACK threads and PyTorch threads; a list (e.g. 1,2) runs each", String(Math.min(os.cpus().length, 8)))
    .option("--backends <list>", "comma-separated: " + BACKENDS.join(","), BACKENDS.join(","))
    .option("--models <list>", "comma-separated: " + MODELS.join(","), MODELS.join(","))
    .option("--cpu-batch <n>", "batch of the (single) DCGAN step on the cpu backend (batch 8 takes ~4 min)", (v) => parseInt(v, 10), 2)
    .option("--torch-steps <n>", "timed steps of the PyTorch anchor", (v) => parseInt(v, 10), 20)
    .option("--no-torch", "skip the PyTorch anchor")
    .option("--profile", "per-kernel ms per step of the wasm DCGAN step (wall and CPU clock)")
    .option("--json", "one JSON object per line instead of a table")
    .option("--child <backend>", "(internal) run one backend in this process");
  program.parse();
  const opts = program.opts();
  const models = String(opts.models).split(",").map((m) => m.trim()).filter(Boolean) as ModelKey[];
  for (const m of models) if (!MODELS.includes(m)) throw new Error(`unknown model "${m}"; use ${MODELS.join(", ")}`);
  const threadList = String(opts.threads).split(",").map((t) => parseInt(t, 10));
  if (threadList.some((t) => !(t >= 1))) throw new Error(`--threads must be positive integers, got "${opts.threads}"`);
  const common = { models, steps: opts.steps, warmup: opts.warmup, threads: threadList[0], cpuBatch: opts.cpuBatch, profile: !!opts.profile };

  if (opts.child) {
    await runChild({ backend: opts.child as BackendKey, ...common });
    process.exit(0);
  }

  const backends = String(opts.backends).split(",").map((b) => b.trim()).filter(Boolean) as BackendKey[];
  for (const b of backends) if (!BACKENDS.includes(b)) throw new Error(`unknown backend "${b}"; use ${BACKENDS.join(", ")}`);
  const load0 = os.loadavg()[0];
  const rows: BenchRow[] = [];
  const profiles: any[] = [];
  const log = (s: string) => { if (!opts.json) console.log(s); };
  log(`gan-course bench: ${os.cpus().length} cores (${os.cpus()[0]?.model}), node ${process.version}, load average ${load0.toFixed(2)}`);
  for (const backend of backends) {
    for (const threads of backend === "wasm" ? threadList : [threadList[0]]) {
      log(`  running ${backend}${backend === "wasm" ? ` (${threads} threads)` : ""} ...`);
      const r = await childRows(backend, { ...common, threads, profile: common.profile && threads === threadList[threadList.length - 1] });
      rows.push(...r.rows);
      profiles.push(...r.profiles);
    }
  }
  const torch: BenchRow[] = [];
  if (opts.torch && models.includes("dcgan")) {
    if (!fs.existsSync(ANCHOR)) log(`  PyTorch anchor not found at ${ANCHOR}; skipped`);
    else if (!torchAvailable()) log(`  ${PYTHON} has no torch; PyTorch anchor skipped`);
    else {
      for (const threads of threadList) {
        log(`  running the PyTorch anchor (${threads} threads) ...`);
        const r = await runTorch(threads, opts.torchSteps);
        if (r) torch.push(r);
      }
      rows.push(...torch);
    }
  }
  const load1 = os.loadavg()[0];
  // ours / PyTorch at each thread count, and best against best.
  const ours = rows.filter((r) => r.model === "dcgan" && r.backend === "wasm" && !r.error);
  const ratios = threadList.flatMap((t) => {
    const a = ours.find((r) => r.threads === t), b = torch.find((r) => r.threads === t);
    return a && b ? [{ threads: t, ratio: a.imgs_per_s / b.imgs_per_s }] : [];
  });
  const best = (xs: BenchRow[]) => xs.reduce<BenchRow | undefined>((m, r) => (!m || r.imgs_per_s > m.imgs_per_s ? r : m), undefined);
  const bestOurs = best(ours), bestTorch = best(torch);

  if (opts.json) {
    for (const r of rows) console.log(JSON.stringify(r));
    for (const r of ratios) console.log(JSON.stringify({ model: "dcgan", threads: r.threads, ratio_wasm_over_pytorch: +r.ratio.toFixed(2) }));
    if (bestOurs && bestTorch) console.log(JSON.stringify({ model: "dcgan", best_ratio_wasm_over_pytorch: +(bestOurs.imgs_per_s / bestTorch.imgs_per_s).toFixed(2) }));
    for (const p of profiles) console.log(JSON.stringify(p));
    console.log(JSON.stringify({ load_before: +load0.toFixed(2), load_after: +load1.toFixed(2), cores: os.cpus().length }));
    return;
  }
  console.log("");
  console.log(`${"model".padEnd(14)} ${"backend".padEnd(20)} ${"batch".padStart(5)} ${"thr".padStart(3)} ${"ms/step".padStart(9)} ${"img/s".padStart(8)} ${"GFLOP/s".padStart(8)} ${"cpu ms".padStart(8)}  note`);
  for (const r of rows) {
    const note = r.error ? `cannot run: ${r.error}` : r.note ?? "";
    console.log(`${r.model.padEnd(14)} ${r.backend.padEnd(20)} ${String(r.batch).padStart(5)} ${String(r.threads ?? "").padStart(3)} ${fmt(r.ms_per_step).padStart(9)} ${fmt(r.imgs_per_s).padStart(8)} ${fmt(r.gflops_per_s, 2).padStart(8)} ${fmt(r.cpu_ms_per_step).padStart(8)}  ${note}`);
  }
  console.log("(ms/step: median wall time; cpu ms: process CPU time per step, all threads)");
  if (ratios.length) console.log("");
  for (const r of ratios) console.log(`DCGAN step, ours (wasm) / PyTorch, both with ${r.threads} thread(s): ${r.ratio.toFixed(2)}x images/s`);
  if (bestOurs && bestTorch && threadList.length > 1) {
    console.log(`DCGAN step, best of each: ours ${bestOurs.imgs_per_s} img/s (${bestOurs.threads} thr) / PyTorch ${bestTorch.imgs_per_s} img/s (${bestTorch.threads} thr) = ${(bestOurs.imgs_per_s / bestTorch.imgs_per_s).toFixed(2)}x`);
  }
  for (const p of profiles) {
    console.log(`\nProfile of the ${p.model} step on ${p.backend} (${p.clock} clock, ms per step):`);
    for (const k of p.profile.slice(0, 20)) console.log(`  ${k.kernel.padEnd(28)} ${fmt(k.ms).padStart(8)} ms  ${String(k.calls).padStart(5)} calls`);
  }
  console.log(`\nload average: ${load0.toFixed(2)} before, ${load1.toFixed(2)} after (${os.cpus().length} cores; other processes slow every number above)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
