/**
 * Our wasm kernels are installed by setup (setupLesson -> initBackend), not by importing lib,
 * idempotently, and the wasm backend gets one XNNPACK thread per core (threaded build in Node).
 */
import { describe, expect, it, vi } from "vitest";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";

describe("wasm thread count", () => {
  it("follows GAN_COURSE_WASM_THREADS and otherwise uses the idle cores", async () => {
    const { defaultWasmThreads } = await import("../../lib/backend/wasm-kernels/threads");
    const saved = process.env.GAN_COURSE_WASM_THREADS;
    try {
      process.env.GAN_COURSE_WASM_THREADS = "3";
      expect(defaultWasmThreads()).toBe(3);
      process.env.GAN_COURSE_WASM_THREADS = "0";
      expect(() => defaultWasmThreads()).toThrow(/GAN_COURSE_WASM_THREADS must be a positive integer, got "0"/);
      delete process.env.GAN_COURSE_WASM_THREADS;
      expect(defaultWasmThreads(4, 0.1)).toBe(4); // idle machine: every core
      expect(defaultWasmThreads(4, 1.8)).toBe(2); // two cores busy elsewhere
      expect(defaultWasmThreads(2, 15)).toBe(1); // oversubscribed: one thread
      expect(defaultWasmThreads(16, 0)).toBe(8); // the threaded build's pool size
      expect(defaultWasmThreads()).toBeGreaterThanOrEqual(1);
    } finally {
      if (saved === undefined) delete process.env.GAN_COURSE_WASM_THREADS;
      else process.env.GAN_COURSE_WASM_THREADS = saved;
    }
  });
});

describe("wasm training kernels", () => {
  it("are not registered by importing lib, only by setupLesson, and registering twice changes nothing", async () => {
    await import("../../lib/index");
    require("@tensorflow/tfjs-backend-wasm"); // the stock wasm kernels, as any tfjs program would load them
    expect(tf.getKernel("Conv2DBackpropFilter", "wasm")).toBeUndefined();
    expect(tf.getKernel("UnsortedSegmentSum", "wasm")).toBeUndefined();
    const stockInput = tf.getKernel("Conv2DBackpropInput", "wasm")!.kernelFunc;

    const { setupLesson } = await import("../../lib/setup");
    const info = await setupLesson({ backend: "wasm", verbose: false });
    const { WASM_TRAINING_KERNELS, registerWasmTrainingKernels } = await import("../../lib/backend/wasm-kernels");
    for (const config of WASM_TRAINING_KERNELS) expect(tf.getKernel(config.kernelName, "wasm")?.kernelFunc).toBe(config.kernelFunc);
    expect(tf.getKernel("Conv2DBackpropInput", "wasm")!.kernelFunc).not.toBe(stockInput);

    // Every kernel the cpu backend has now exists on wasm, except the documented few.
    const { WASM_STILL_MISSING } = await import("../../lib/backend/wasm-kernels");
    const onWasm = new Set(tf.getKernelsForBackend("wasm").map((k) => k.kernelName));
    const missing = tf.getKernelsForBackend("cpu").map((k) => k.kernelName).filter((k) => !onWasm.has(k));
    expect(missing.sort()).toEqual([...WASM_STILL_MISSING].sort());

    const warn = vi.spyOn(console, "warn");
    registerWasmTrainingKernels();
    await setupLesson({ backend: "wasm", verbose: false });
    expect(warn).not.toHaveBeenCalled();
    for (const config of WASM_TRAINING_KERNELS) expect(tf.getKernel(config.kernelName, "wasm")?.kernelFunc).toBe(config.kernelFunc);

    // XNNPACK threads: GAN_COURSE_WASM_THREADS, else one per idle core, between 1 and the cores.
    if (process.env.GAN_COURSE_WASM_THREADS) expect(info.threads).toBe(Number(process.env.GAN_COURSE_WASM_THREADS));
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect(info.threads).toBeLessThanOrEqual(Math.min(os.cpus().length, 8));

    // A conv net trains on wasm: the gradient kernels exist and run.
    const x = tf.randomNormal([2, 8, 8, 3]) as tf.Tensor4D, w = tf.randomNormal([3, 3, 3, 4]) as tf.Tensor4D;
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, "same")))([x, w]);
    expect(dx.shape).toEqual([2, 8, 8, 3]);
    expect(dw.shape).toEqual([3, 3, 3, 4]);
  });
});

describe("threaded wasm in a script", () => {
  it("lets Node exit when the script ends (the idle pool threads do not keep it alive)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gan-course-exit-"));
    const script = path.join(dir, "exit.ts");
    const setup = path.resolve(__dirname, "../../lib/setup");
    fs.writeFileSync(script, [
      `import * as tf from ${JSON.stringify(require.resolve("@tensorflow/tfjs"))};`,
      `import { setupLesson } from ${JSON.stringify(setup)};`,
      `setupLesson({ backend: "wasm", verbose: false }).then((info) => {`,
      `  const y = tf.conv2d(tf.ones([2, 8, 8, 4]) as tf.Tensor4D, tf.ones([3, 3, 4, 2]) as tf.Tensor4D, 1, "same");`,
      `  console.log("threads=" + info.threads + " sum=" + y.sum().dataSync()[0]);`,
      `});`,
    ].join("\n"));
    const tsx = path.resolve(__dirname, "../../node_modules/.bin/tsx");
    const r = spawnSync(tsx, [script], { cwd: path.resolve(__dirname, "../.."), env: { ...process.env, GAN_COURSE_WASM_THREADS: "2" }, encoding: "utf8", timeout: 100_000 });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.error, "the script did not exit on its own").toBeUndefined();
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/threads=2 sum=7744/); // per (n, out channel): 22 x 22 taps in range x 4 channels
  }, 120_000);
});
