import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";

describe("importing lib", () => {
  it("changes no global state: no backend chosen, Math.random untouched", async () => {
    const random = Math.random;
    const registered = Object.keys(tf.engine().registryFactory).length;
    await import("../lib/index");
    expect(Math.random).toBe(random);
    expect(Object.keys(tf.engine().registryFactory).length).toBe(registered); // wasm not registered on import
  });
});

describe("setupLesson", () => {
  it("picks wasm (tfjs-node is not installed here), reports threads and seeds reproducibly", async () => {
    const { setupLesson } = await import("../lib/setup");
    const info = await setupLesson({ seed: 7, verbose: false });
    expect(info.name).toBe("wasm");
    expect(info.skipped.join()).toMatch(/tensorflow: @tensorflow\/tfjs-node is not installed/);
    expect(info.threads).toBeGreaterThanOrEqual(1);
    const draw = () => {
      const layer = tf.layers.dense({ units: 3, inputShape: [2] });
      const model = tf.sequential({ layers: [layer] });
      return [Array.from(model.getWeights()[0].dataSync()), Array.from(tf.randomNormal([4]).dataSync()), Math.random()];
    };
    const first = draw();
    await setupLesson({ seed: 7, verbose: false });
    expect(draw()).toEqual(first);
    await setupLesson({ seed: 8, verbose: false });
    expect(draw()).not.toEqual(first);
  });

  it("honours a forced backend and rejects unknown or unavailable ones clearly", async () => {
    const { setupLesson } = await import("../lib/setup");
    expect((await setupLesson({ backend: "cpu", verbose: false })).name).toBe("cpu");
    process.env.GAN_COURSE_BACKEND = "wasm";
    expect((await setupLesson({ verbose: false })).name).toBe("wasm");
    process.env.GAN_COURSE_BACKEND = "gpu";
    await expect(setupLesson({ verbose: false })).rejects.toThrow(/Unknown backend "gpu" \(from GAN_COURSE_BACKEND\)/);
    delete process.env.GAN_COURSE_BACKEND;
    await expect(setupLesson({ backend: "tensorflow", verbose: false })).rejects.toThrow(/Backend "tensorflow" was requested but cannot start: @tensorflow\/tfjs-node is not installed/);
  });
});
