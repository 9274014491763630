/**
 * Identity for the wasm backend without a copy.
 *
 * The engine clones every tensor it saves for backprop (engine.clone -> Identity), and the stock
 * wasm Identity copies the bytes: ~600 copies per DCGAN training step, activations included. The
 * cpu backend instead shares the data and counts a reference; the wasm backend supports that too
 * (its Reshape does it): the bytes are freed when the last sharing tensor is disposed, and no
 * kernel writes into its inputs.
 */
import * as tf from "@tensorflow/tfjs";
import { Info, WasmBackend, runOriginal } from "./wasm_heap";

function identity(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend }): Info {
  const backend = args.backend as WasmBackend;
  const { x } = args.inputs as unknown as { x: Info };
  if (x.dtype === "string" || x.dtype === "complex64") return runOriginal(tf.Identity, backend, args.inputs);
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export const identityConfig: tf.KernelConfig = {
  kernelName: tf.Identity,
  backendName: "wasm",
  kernelFunc: identity as unknown as tf.KernelFunc,
};
