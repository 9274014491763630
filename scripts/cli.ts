/**
 * What every command-line script here shares: commander argument parsers for positive numbers,
 * and `runIfMain`, which runs a script's `main` only when node was started on that script (so
 * tests can import `main`), exits with its code, and cleans up (kernels, grading processes) on
 * Ctrl-C or an unexpected error.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { InvalidArgumentError } from "commander";

export function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive integer");
  return n;
}

export function positiveNumber(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("expected a positive number");
  return n;
}

export interface RunOptions {
  /** Stops child processes; run on SIGINT/SIGTERM (then exit 130) and after an unexpected error. */
  cleanup?: () => void;
  /** Exit code of an unexpected error (default 1). */
  errorCode?: number;
}

/** Run `main` if `moduleUrl` (the caller's `import.meta.url`) is the script node was started on. */
export function runIfMain(moduleUrl: string, name: string, main: () => Promise<number>, options: RunOptions = {}): void {
  if (process.argv[1] === undefined || path.resolve(process.argv[1]) !== fileURLToPath(moduleUrl)) return;
  const { cleanup, errorCode = 1 } = options;
  if (cleanup) {
    for (const sig of ["SIGINT", "SIGTERM"] as const) {
      process.once(sig, () => {
        cleanup();
        process.exit(130);
      });
    }
  }
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(`${name}: ${(e as Error)?.stack ?? e}`);
      cleanup?.();
      process.exit(errorCode);
    },
  );
}
