/**
 * Our wasm kernels are installed by setup (setupLesson -> initBackend), not by importing lib,
 * idempotently, and the wasm backend gets one XNNPACK thread per core (threaded build in Node).
 */
import { describe, expect, it, vi } from "vitest";
import * as os from "os";
import * as tf from "@tensorflow/tfjs";

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

    const warn = vi.spyOn(console, "warn");
    registerWasmTrainingKernels();
    await setupLesson({ backend: "wasm", verbose: false });
    expect(warn).not.toHaveBeenCalled();
    for (const config of WASM_TRAINING_KERNELS) expect(tf.getKernel(config.kernelName, "wasm")?.kernelFunc).toBe(config.kernelFunc);

    // One XNNPACK thread per core (at most 8) unless GAN_COURSE_WASM_THREADS says otherwise.
    const want = process.env.GAN_COURSE_WASM_THREADS ? Number(process.env.GAN_COURSE_WASM_THREADS) : Math.min(os.cpus().length, 8);
    expect(info.threads).toBe(want);

    // A conv net trains on wasm: the gradient kernels exist and run.
    const x = tf.randomNormal([2, 8, 8, 3]) as tf.Tensor4D, w = tf.randomNormal([3, 3, 3, 4]) as tf.Tensor4D;
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, "same")))([x, w]);
    expect(dx.shape).toEqual([2, 8, 8, 3]);
    expect(dw.shape).toEqual([3, 3, 3, 4]);
  });
});
