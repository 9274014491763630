/**
 * The other wasm kernels we register or replace (matmul plans, transpose, tile, reductions,
 * LeakyReLU, comparisons, select, identity, cpu-borrowed kernels) agree with the cpu backend.
 */
import { afterEach, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { matMulTuning } from "../../lib/backend/wasm-kernels/batch_mat_mul";
import { simdTuning } from "../../lib/backend/wasm-kernels/simd";
import { onCpuAndWasm, onWasm, relErr, tensor, useWasm } from "./helpers";

afterEach(() => {
  matMulTuning.plan = "auto";
  simdTuning.enabled = true;
});

/** The wasm results again with the SIMD helper module off (the JS fallbacks). */
async function withoutSimd(compute: () => tf.Tensor[]): Promise<Float32Array[]> {
  simdTuning.enabled = false;
  try {
    return await onWasm(compute);
  } finally {
    simdTuning.enabled = true;
  }
}

describe("BatchMatMul / _FusedMatMul on wasm", () => {
  const shapes: [number[], number[]][] = [
    [[37, 23], [23, 41]], // 2-D
    [[3, 17, 9], [3, 9, 13]], // batched
    [[1, 17, 9], [3, 9, 13]], // broadcast batch
    [[2, 2, 5, 7], [2, 2, 7, 6]], // rank 4
  ];
  const transposed = (s: number[], t: boolean) => (t ? [...s.slice(0, -2), s[s.length - 1], s[s.length - 2]] : s);

  it.each(["auto", "direct", "transposed", "loop"] as const)("plan %s: every transpose combination matches cpu", async (plan) => {
    const compute = () => {
      const out: tf.Tensor[] = [];
      shapes.forEach(([sa, sb], i) => {
        for (const tA of [false, true]) for (const tB of [false, true]) {
          out.push(tf.matMul(tensor(transposed(sa, tA), i), tensor(transposed(sb, tB), i + 50), tA, tB));
        }
      });
      return out;
    };
    await onCpuAndWasm(() => []);
    matMulTuning.plan = plan;
    const { cpu, wasm } = await onCpuAndWasm(compute);
    cpu.forEach((c, j) => expect(relErr(c, wasm[j]), `product ${j}`).toBeLessThanOrEqual(1e-5));
  });

  it("fused matMul (bias + relu) and its gradients match cpu in every layout", async () => {
    for (const plan of ["auto", "direct"] as const) {
      matMulTuning.plan = plan;
      const { cpu, wasm } = await onCpuAndWasm(() => {
        const out: tf.Tensor[] = [];
        for (const tA of [false, true]) for (const tB of [false, true]) {
          const a = tensor(tA ? [24, 16] : [16, 24], 1), b = tensor(tB ? [20, 24] : [24, 20], 2), bias = tensor([20], 3);
          const f = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) =>
            tf.fused.matMul({ a: x as tf.Tensor2D, b: y as tf.Tensor2D, transposeA: tA, transposeB: tB, bias: z, activation: "relu" });
          out.push(f(a, b, bias), ...tf.grads((x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) => tf.sum(tf.square(f(x, y, z))))([a, b, bias]));
        }
        return out;
      });
      cpu.forEach((c, j) => expect(relErr(c, wasm[j]), `${plan} output ${j}`).toBeLessThanOrEqual(1e-5));
    }
  });
});

describe("layout and reduction kernels on wasm", () => {
  it("transpose: every permutation of a rank-4 tensor (float32, int32, bool) and size-1 dims", async () => {
    const perms: number[][] = [];
    const permute = (rest: number[], acc: number[]) => {
      if (!rest.length) perms.push(acc);
      rest.forEach((v, i) => permute([...rest.slice(0, i), ...rest.slice(i + 1)], [...acc, v]));
    };
    permute([0, 1, 2, 3], []);
    const compute = () => {
      const x = tensor([3, 4, 5, 6], 1), xi = tf.range(0, 120, 1, "int32").reshape([2, 3, 4, 5]);
      const xb = tf.greater(tensor([2, 1, 5, 3], 2), 0), y = tensor([1, 7, 1, 33], 3), big = tensor([7, 9, 6, 19], 4);
      return perms.flatMap((p) => [tf.transpose(x, p), tf.transpose(xi, p), tf.transpose(xb, p).cast("int32"), tf.transpose(y, p), tf.transpose(big, p)]);
    };
    const { cpu, wasm } = await onCpuAndWasm(compute);
    const js = await withoutSimd(compute);
    cpu.forEach((c, j) => expect(Array.from(wasm[j]), `output ${j}`).toEqual(Array.from(c)));
    cpu.forEach((c, j) => expect(Array.from(js[j]), `output ${j} (js)`).toEqual(Array.from(c)));
  });

  it("tile, sum and mean over any axes (keepDims, int32) match cpu", async () => {
    const compute = () => {
      const x = tensor([4, 5, 6, 7], 4), xi = tf.range(0, 60, 1, "int32").reshape([3, 4, 5]);
      const out: tf.Tensor[] = [tf.tile(tensor([1, 1, 1, 5], 5), [4, 3, 2, 1]), tf.tile(tensor([2, 3], 6), [3, 2]), tf.tile(xi, [1, 2, 1])];
      for (const axis of [[0], [0, 1, 2], [1, 2], [0, 2], [3], [1, 3], [0, 1, 2, 3], [-1]]) {
        out.push(tf.sum(x, axis), tf.mean(x, axis), tf.sum(x, axis, true));
      }
      out.push(tf.sum(xi, [0, 1]), tf.sum(xi, 1, true), tf.mean(tensor([64, 3, 3, 16], 7), [0, 1, 2]), tf.sum(tensor([5, 3, 6, 7], 8), [1, 2]));
      return out;
    };
    const { cpu, wasm } = await onCpuAndWasm(compute);
    const js = await withoutSimd(compute);
    cpu.forEach((c, j) => expect(relErr(c, wasm[j]), `output ${j}`).toBeLessThanOrEqual(1e-6));
    cpu.forEach((c, j) => expect(relErr(c, js[j]), `output ${j} (js)`).toBeLessThanOrEqual(1e-6));
  });

  it("leakyRelu, comparisons (scalar either side, NaN) and where (NaN, -0) match cpu", async () => {
    const compute = () => {
      const x = tf.concat([tensor([50], 8), tf.tensor1d([NaN, 0, -0, Infinity, -Infinity, 2])]);
      const y = tf.concat([tensor([50], 9), tf.tensor1d([NaN, -0, 0, 1, -Infinity, 2])]);
      const out: tf.Tensor[] = [tf.leakyRelu(x, 0.2), tf.leakyRelu(tensor([2, 3, 4, 5], 10), 0.01), tf.leakyRelu(tensor([7], 11), 0.3)];
      for (const f of [tf.greater, tf.greaterEqual, tf.less, tf.lessEqual, tf.equal, tf.notEqual]) {
        out.push(f(x, y), f(x, 0), f(tf.scalar(0), x), f(tf.range(0, 6, 1, "int32"), tf.scalar(3, "int32")));
      }
      const c = tf.greater(x, y);
      out.push(tf.where(c, x, y), tf.where(c, tf.onesLike(x).cast("int32"), tf.zerosLike(x).cast("int32")), tf.where(c, c, tf.logicalNot(c)));
      return out.map((t) => (t.dtype === "bool" ? t.cast("int32") : t));
    };
    const { cpu, wasm } = await onCpuAndWasm(compute);
    const js = await withoutSimd(compute);
    // LeakyReLU: XNNPACK multiplies by float32(alpha) (cpu: by the double alpha, then rounds), so
    // allow an ulp; it also returns +0 for -0. NaN and infinities must match.
    for (let j = 0; j < 3; j++) {
      const finite = (a: Float32Array) => a.map((v) => (Number.isFinite(v) ? v : 0));
      expect(relErr(finite(cpu[j]), finite(wasm[j]))).toBeLessThanOrEqual(1e-6);
      expect(Array.from(cpu[j]).map((v) => (Number.isFinite(v) ? 0 : v))).toEqual(Array.from(wasm[j]).map((v) => (Number.isFinite(v) ? 0 : v)));
    }
    // Comparisons and where: exact (NaN equal to NaN, and -0 kept by the bitwise select).
    for (let j = 3; j < cpu.length; j++) {
      expect(Array.from(wasm[j]), `output ${j}`).toEqual(Array.from(cpu[j]));
      expect(Array.from(js[j]), `output ${j} (js)`).toEqual(Array.from(cpu[j]));
    }
  });

  it("broadcast Add/Sub/Multiply/RealDiv, batch norm and A^T v match cpu (SIMD and fallbacks)", async () => {
    const compute = () => {
      const x = tensor([4, 3, 5, 12], 20), c = tensor([12], 21), c4 = tensor([1, 1, 1, 12], 22), s = tf.scalar(1.7), odd = tensor([3, 7], 23), oddC = tensor([7], 24);
      const out: tf.Tensor[] = [];
      for (const f of [tf.add, tf.sub, tf.mul, tf.div]) {
        out.push(f(x, c), f(c, x), f(x, c4), f(c4, x), f(x, s), f(s, x), f(odd, oddC), f(oddC, odd), f(tensor([2, 3], 25), tensor([1, 3], 26)), f(tensor([4, 1], 27), tensor([4], 28)));
      }
      const mean = tensor([12], 29), variance = tf.abs(tensor([12], 30)), offset = tensor([12], 31), scale = tensor([12], 32);
      out.push(tf.batchNorm(x, mean, variance, offset, scale, 1e-3), tf.batchNorm(x, mean, variance, undefined, undefined, 1e-5), tf.batchNorm(odd, oddC, tf.abs(oddC), oddC, oddC, 0.1));
      out.push(tf.matMul(tensor([9, 13], 33), tensor([9, 1], 34), true, false), tf.matMul(tensor([1, 9, 6], 35), tensor([9, 1], 36), true, false));
      return out;
    };
    const { cpu, wasm } = await onCpuAndWasm(compute);
    const js = await withoutSimd(compute);
    cpu.forEach((c, j) => expect(relErr(c, wasm[j]), `output ${j}`).toBeLessThanOrEqual(1e-6));
    cpu.forEach((c, j) => expect(relErr(c, js[j]), `output ${j} (js)`).toBeLessThanOrEqual(1e-6));
  });

  it("identity shares data safely: a clone outlives its disposed source", async () => {
    await useWasm();
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.clone(x);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    const before = tf.memory().numBytes;
    y.dispose();
    expect(tf.memory().numBytes).toBe(before - 12);
  });

  it("cpu-borrowed kernels (depthwise conv gradients, einsum) give the cpu results on wasm", async () => {
    const { cpu, wasm } = await onCpuAndWasm(() => {
      const x = tensor([2, 7, 7, 3], 12), w = tensor([3, 3, 3, 2], 13);
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, "same"))))([x, w]);
      return [dx, dw, tf.einsum("ij,jk->ik", tensor([3, 4], 14), tensor([4, 5], 15))];
    });
    cpu.forEach((c, j) => expect(relErr(c, wasm[j])).toBeLessThanOrEqual(1e-5));
  });
});
