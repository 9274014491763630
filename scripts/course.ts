/**
 * `npm run course`: execute every lesson notebook headlessly on tslab and fail loudly.
 *
 *   npm run course                                   # every notebooks/*.ipynb, in name order
 *   npm run course -- notebooks/03-dcgan.ipynb       # some notebooks (paths or "notebooks/0*.ipynb")
 *   npm run course -- --jobs 2 --timeout 600 --out build/notebooks --no-site
 *
 * One progress line per notebook (name, seconds, status), the failure report (cell number, error
 * name, message, traceback) for each failure, then a summary table. Exit code 1 if any notebook
 * fails. Executed copies go to build/notebooks/ (gitignored); sources are never modified.
 * When everything passes and scripts/site/build.ts exists, the static site is built from the
 * executed copies (see SITE HOOK below); --no-site skips that.
 */
import * as os from "os";
import { Command } from "commander";
import { existsSync, promises as fs } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { DEFAULT_OUT_DIR, formatFailure, killAllKernels, REPO_ROOT, RunResult, runNotebooks } from "./runner";
import { positiveInt, positiveNumber, runIfMain } from "./cli";

export interface CourseOptions {
  /** Notebook paths or single-directory globs ("notebooks/0*.ipynb"); default notebooks/*.ipynb. */
  notebooks?: string[];
  /** Notebooks run at once, each on its own kernel. Default 1. */
  jobs?: number;
  /** Default per-cell timeout (s) for cells/notebooks that set none. Default 300. */
  timeoutS?: number;
  /** Time limit per notebook (s). Default none. */
  totalTimeoutS?: number;
  /** Output directory for executed copies. Default build/notebooks. */
  outDir?: string;
  /** Build the site after success (if scripts/site/build.ts exists). Default true. */
  site?: boolean;
  /** Sets GAN_COURSE_BACKEND for the kernels. */
  backend?: string;
  /** Kernel heap limit, MiB. */
  memoryMb?: number;
  /** Print each cell as it runs. */
  verbose?: boolean;
  /** The site builder module (default scripts/site/build.ts) and its output dir (default build/site). */
  sitePath?: string;
  siteOutDir?: string;
  /** Where lines go (default console.log). */
  log?: (line: string) => void;
}

export const NOTEBOOKS_DIR = path.join(REPO_ROOT, "notebooks");
export const SITE_BUILD = path.join(REPO_ROOT, "scripts", "site", "build.ts");
export const SITE_OUT_DIR = path.join(REPO_ROOT, "build", "site");

function globToRegExp(pattern: string): RegExp {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]");
  return new RegExp(`^${re}$`);
}

/** Expands the notebook arguments: plain paths as given, globs in the last path segment, sorted by name. */
export async function resolveNotebooks(args: string[] | undefined): Promise<string[]> {
  if (!args || args.length === 0) args = [path.join(path.relative(process.cwd(), NOTEBOOKS_DIR) || ".", "*.ipynb")];
  const out: string[] = [];
  for (const arg of args) {
    if (!/[*?]/.test(path.basename(arg))) {
      out.push(arg);
      continue;
    }
    const dir = path.dirname(arg);
    const re = globToRegExp(path.basename(arg));
    const names = existsSync(dir) ? (await fs.readdir(dir)).filter((n) => re.test(n)).sort() : [];
    out.push(...names.map((n) => path.join(dir, n)));
  }
  return [...new Set(out)];
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

function statusWord(r: RunResult): string {
  return r.ok ? "ok" : r.status;
}

/** The summary table printed at the end. */
export function summaryTable(results: RunResult[]): string {
  const rows = results.map((r) => [path.basename(r.notebook), r.seconds.toFixed(1), statusWord(r), r.backend ?? "-", r.failure?.message ?? ""]);
  const head = ["notebook", "seconds", "status", "backend", "failure"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === 4 ? 0 : r[i].length))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 1 ? c.padStart(widths[i]) : i === 4 ? c : pad(c, widths[i])))
      .join("  ")
      .trimEnd();
  const failed = results.filter((r) => !r.ok).length;
  const total = results.reduce((s, r) => s + r.seconds, 0);
  return [
    line(head),
    line(widths.map((w, i) => (i === 4 ? "-------" : "-".repeat(w)))),
    ...rows.map(line),
    `${results.length} notebook(s), ${results.length - failed} passed, ${failed} failed, ${total.toFixed(1)} s summed over notebooks`,
  ].join("\n");
}

/** Runs the course; resolves with the process exit code (0 = every notebook passed). */
export async function runCourse(opts: CourseOptions = {}): Promise<number> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const files = await resolveNotebooks(opts.notebooks);
  const outDir = path.resolve(opts.outDir ?? DEFAULT_OUT_DIR);
  await fs.mkdir(outDir, { recursive: true }); // exists even when no notebook ran (the site reads it)
  if (files.length === 0) {
    log(`course: no notebooks found (${opts.notebooks?.join(" ") || path.relative(process.cwd(), NOTEBOOKS_DIR) + "/*.ipynb"})`);
  }
  const t0 = performance.now();
  // Headless: figures carry their JSON (the site draws it); no 5 MB plotly.js inlined per notebook.
  const env: Record<string, string> = { GAN_COURSE_PLOTLY_INLINE: process.env.GAN_COURSE_PLOTLY_INLINE ?? "0" };
  if (opts.backend) env.GAN_COURSE_BACKEND = opts.backend;
  // A fixed wasm thread count (cores shared among the parallel kernels), not one that follows the
  // load average, so that a notebook computes the same way on every run of the same machine.
  env.GAN_COURSE_WASM_THREADS = process.env.GAN_COURSE_WASM_THREADS ?? String(Math.max(1, Math.floor(os.cpus().length / (opts.jobs ?? 1))));
  const results = await runNotebooks(files, {
    jobs: opts.jobs,
    outDir,
    cellTimeoutS: opts.timeoutS,
    totalTimeoutS: opts.totalTimeoutS,
    kernel: { env, maxOldSpaceSizeMb: opts.memoryMb },
    onCellStart: opts.verbose
      ? (c) => log(`    cell ${c.index} (code cell ${c.codeIndex}): ${c.source.split("\n")[0].slice(0, 70)}`)
      : undefined,
    onResult: (r) => {
      const name = path.basename(r.notebook);
      const mark = r.ok ? "✓" : "✗";
      log(`${mark} ${pad(name, 36)} ${r.seconds.toFixed(1).padStart(7)} s  ${statusWord(r)}`);
      if (!r.ok) log(formatFailure(r));
    },
  });
  const wall = (performance.now() - t0) / 1000;
  if (results.length) {
    log("");
    log(summaryTable(results));
    log(`wall time ${wall.toFixed(1)} s with --jobs ${opts.jobs ?? 1}`);
  }
  const failed = results.filter((r) => !r.ok).length;
  if (failed > 0) return 1;

  // ===== SITE HOOK =====================================================================
  // After every notebook passed, build the static site from the executed copies, if the site
  // builder exists (scripts/site/build.ts exporting buildSite({ notebooksDir, outDir })).
  if (opts.site === false) {
    log("site: skipped (--no-site)");
  } else if (!existsSync(opts.sitePath ?? SITE_BUILD)) {
    log(`site: skipped (${path.relative(process.cwd(), opts.sitePath ?? SITE_BUILD)} not present yet)`);
  } else {
    const sitePath = opts.sitePath ?? SITE_BUILD;
    const siteOut = path.resolve(opts.siteOutDir ?? SITE_OUT_DIR);
    const mod = (await import(pathToFileURL(sitePath).href)) as {
      buildSite?: (o: { notebooksDir: string; outDir: string }) => Promise<unknown> | unknown;
    };
    if (typeof mod.buildSite !== "function") {
      log(`site: ${sitePath} does not export buildSite()`);
      return 1;
    }
    const ts = performance.now();
    try {
      await mod.buildSite({ notebooksDir: outDir, outDir: siteOut });
    } catch (e) {
      log(`site: build failed: ${(e as Error).stack ?? e}`);
      return 1;
    }
    log(`site: built ${path.relative(process.cwd(), siteOut) || siteOut} in ${((performance.now() - ts) / 1000).toFixed(1)} s`);
  }
  // =====================================================================================
  return 0;
}



export async function main(argv = process.argv): Promise<number> {
  const program = new Command()
    .name("course")
    .description("Execute the course notebooks on the tslab kernel; write executed copies; fail on the first error of each.")
    .argument("[notebooks...]", "notebook paths or globs (default: notebooks/*.ipynb)")
    .option("-j, --jobs <n>", "notebooks run at once, each on its own kernel", positiveInt, 1)
    .option("-t, --timeout <seconds>", "default per-cell timeout (cell/notebook metadata override it)", positiveNumber)
    .option("--total-timeout <seconds>", "time limit per notebook", positiveNumber)
    .option("-o, --out <dir>", "directory for executed copies", path.relative(process.cwd(), DEFAULT_OUT_DIR) || DEFAULT_OUT_DIR)
    .option("--backend <name>", "set GAN_COURSE_BACKEND for the kernels (cpu, wasm, tensorflow)")
    .option("--memory <MiB>", "kernel heap limit (--max-old-space-size)", positiveInt)
    .option("-v, --verbose", "print each cell as it starts")
    .option("--no-site", "do not build the static site afterwards")
    .showHelpAfterError();
  program.parse(argv);
  const o = program.opts();
  return runCourse({
    notebooks: program.args,
    jobs: o.jobs,
    timeoutS: o.timeout,
    totalTimeoutS: o.totalTimeout,
    outDir: o.out,
    site: o.site,
    backend: o.backend,
    memoryMb: o.memory,
    verbose: o.verbose,
  });
}

runIfMain(import.meta.url, "course", () => main(), { cleanup: killAllKernels, errorCode: 2 });
