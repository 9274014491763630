/**
 * Training kernels the stock wasm backend lacks (Conv2DBackpropFilter, UnsortedSegmentSum) and a
 * fast Conv2DBackpropInput. Registered by `initBackend` when wasm is chosen, never on import.
 * (Work in progress: see the wasm kernels issue.)
 */
let registered = false;

/** Register our wasm training kernels with the tfjs kernel registry (idempotent). */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
}
