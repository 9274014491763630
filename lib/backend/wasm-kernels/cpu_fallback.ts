/**
 * Correct-but-slow wasm kernels borrowed from the pure-JS cpu backend: the inputs are copied out
 * of the wasm heap into cpu tensors, the cpu backend's kernel runs, the result is copied back.
 *
 * Why: a few kernels a lesson might differentiate through exist for cpu but not for wasm
 * (depthwise-conv gradients, einsum). With this bridge a lesson on wasm still trains, just at cpu
 * speed for those ops, instead of failing with "kernel not registered". Kernels on the hot path
 * of the course's models (conv, matmul, gather gradients) have real implementations instead.
 */
import * as tf from "@tensorflow/tfjs";
import { Info, WasmBackend, view } from "./wasm_heap";

function cpuBackend(): tf.KernelBackend {
  const cpu = tf.engine().findBackend("cpu");
  if (!cpu) throw new Error("wasm kernels: the cpu backend (needed for a fallback kernel) is not available");
  return cpu;
}

/** Run the cpu backend's kernel `kernelName` on wasm tensors; returns wasm tensor(s). */
export function runOnCpu(
  kernelName: string, backend: WasmBackend, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap,
): Info & Info[] {
  const kernel = tf.getKernel(kernelName, "cpu");
  if (!kernel) throw new Error(`${kernelName} (wasm): no kernel on wasm nor on cpu`);
  const cpu = cpuBackend();
  // Inputs are a map, or an array for variadic kernels (Einsum, AddN, Concat...).
  const cpuInputs = (Array.isArray(inputs) ? [] : {}) as tf.NamedTensorInfoMap;
  const written: tf.DataId[] = [];
  for (const [name, t] of Object.entries(inputs)) {
    if (t == null) continue;
    const values = view(backend, t).slice();
    const dataId = cpu.write(values, t.shape, t.dtype);
    written.push(dataId);
    (cpuInputs as Record<string, tf.TensorInfo>)[name] = { dataId, shape: t.shape, dtype: t.dtype };
  }
  try {
    const result = kernel.kernelFunc({ inputs: cpuInputs, backend: cpu, attrs });
    const outs = Array.isArray(result) ? result : [result];
    const copied = outs.map((o) => {
      const values = cpu.readSync(o.dataId) as tf.backend_util.TypedArray;
      const out = backend.makeOutput(o.shape, o.dtype, undefined, values);
      cpu.disposeData(o.dataId);
      return out;
    });
    return (Array.isArray(result) ? copied : copied[0]) as Info & Info[];
  } finally {
    for (const dataId of written) cpu.disposeData(dataId);
  }
}

/** A wasm kernel config that runs the cpu backend's implementation of `kernelName`. */
export function cpuFallbackConfig(kernelName: string): tf.KernelConfig {
  return {
    kernelName,
    backendName: "wasm",
    kernelFunc: ((args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }) =>
      runOnCpu(kernelName, args.backend as WasmBackend, args.inputs, args.attrs ?? {})) as unknown as tf.KernelFunc,
  };
}
