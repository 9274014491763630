/**
 * Showing things in a notebook: multi-MIME display bundles sent through the running tslab kernel.
 *
 * tslab's public `display.raw` sends one MIME type per output; Jupyter outputs may carry several
 * (a Plotly figure as JSON for front ends that have the renderer, plus HTML for those that don't).
 * We therefore find tslab's `writeDisplayData` hook among the loaded modules and send the whole
 * bundle. Outside a kernel (tests, scripts) `show` returns the bundle and prints nothing.
 */

export type MimeBundle = Record<string, unknown>; // e.g. { "image/png": base64, "text/plain": "..." }

type WriteDisplayData = (data: { data: MimeBundle; metadata: Record<string, unknown>; transient: Record<string, unknown> }, update: boolean) => void;

/** The running kernel's display hook, or null when not inside tslab. */
function kernelDisplayHook(): WriteDisplayData | null {
  for (const [file, mod] of Object.entries(require.cache)) {
    if (!/tslab[\\/]dist[\\/]jupyter\.js$/.test(file)) continue;
    const hook = (mod?.exports as { lastWriteDisplayData?: WriteDisplayData | null } | undefined)?.lastWriteDisplayData;
    if (hook) return hook;
  }
  return null;
}

/** True when running inside a tslab kernel that can display rich output. */
export function inKernel(): boolean {
  return kernelDisplayHook() !== null;
}

/**
 * Display a MIME bundle as one output. Returns nothing, so that a notebook cell ending in a
 * `show…` call does not also print the bundle as the cell's value.
 */
export function show(bundle: MimeBundle, metadata: Record<string, unknown> = {}): void {
  const hook = kernelDisplayHook();
  if (hook) hook({ data: bundle, metadata, transient: {} }, false);
}
