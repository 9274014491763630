/**
 * A snapshot of the code the verdicts depend on, taken before any submission runs.
 *
 * A probe process loads TensorFlow.js and gan-course the way the verdict process does (setupLesson
 * with the cpu and the wasm backend) and lists every module file it loaded; the grader reads them
 * into memory. The verdict process and its workers then load those modules from memory
 * (sandbox/snapshot-loader.ts), so nothing a submission writes to disk changes a verdict.
 *
 * `verifySnapshot` checks the watched files on disk after each phase of each submission (size, mtime,
 * then content) and reports the ones that changed - a submission that rewrote the library, the
 * hidden tests or the grader. With `restore` it also puts them back, so that the notebook runs of the
 * submissions graded after it are not affected either (for dedicated grading machines: on a shared
 * development machine a colleague's rebuild of lib/dist would be "restored" too).
 */
import { spawn } from "node:child_process";
import { promises as fs, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { sha256 } from "./lesson";

export interface Snapshot {
  /** Module file -> source. */
  files: Map<string, string>;
  /** Every watched file (modules and binaries) -> what it was. */
  watched: Map<string, { size: number; mtimeMs: number; sha256: string; content: Buffer }>;
}

const PROBE = `
const lib = require("gan-course");
const tf = require("@tensorflow/tfjs");
(async () => {
  try { await lib.setupLesson({ seed: 1, backend: "cpu", verbose: false }); } catch {}
  try { await lib.setupLesson({ seed: 1, verbose: false }); } catch {}
  try { tf.add(tf.scalar(1), 1).dataSync(); } catch {}
  process.stdout.write(JSON.stringify(Object.keys(require.cache)));
  process.exit(0);
})();
`;

/** Lists the module files that loading tf + gan-course (and their backends) reads. */
export async function probeModules(repoRoot: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", PROBE], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env } });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (s) => (out += s));
    child.stderr.setEncoding("utf8").on("data", (s) => (err += s));
    child.on("error", reject);
    child.on("exit", (code) => {
      try {
        const files = JSON.parse(out) as string[];
        resolve(files);
      } catch {
        reject(new Error(`snapshot probe failed (exit ${code}): ${err.trim().split("\n").slice(-5).join(" | ")}`));
      }
    });
  });
}

/** Binary files the backends read with fs (not through require). */
function binaries(files: string[]): string[] {
  const dirs = new Set(files.filter((f) => f.includes(`${path.sep}tfjs-backend-wasm${path.sep}`)).map((f) => path.dirname(f)));
  const out: string[] = [];
  for (const d of dirs) {
    try {
      for (const name of readdirSync(d)) if (name.endsWith(".wasm")) out.push(path.join(d, name));
    } catch {
      /* none */
    }
  }
  return out;
}

/**
 * Snapshots the library modules, and also watches `extra` files (the grader's own inputs: instructor
 * notebooks, hidden tests, the manifest, the grader's code), so that a submission that rewrites them
 * is caught and they are put back before anything reads them again.
 */
export async function takeSnapshot(repoRoot: string, extra: string[] = [], probe?: Promise<string[]>): Promise<Snapshot> {
  const modules = await (probe ?? probeModules(repoRoot));
  const files = new Map<string, string>();
  const watched: Snapshot["watched"] = new Map();
  for (const f of [...modules, ...binaries(modules), ...extra.map((x) => path.resolve(x))]) {
    if (watched.has(f)) continue;
    if (!path.isAbsolute(f)) continue;
    let content: Buffer;
    try {
      content = await fs.readFile(f);
    } catch {
      continue;
    }
    const st = statSync(f);
    watched.set(f, { size: st.size, mtimeMs: st.mtimeMs, sha256: sha256(content), content });
    if (modules.includes(f) && (f.endsWith(".js") || f.endsWith(".json") || f.endsWith(".cjs"))) files.set(f, content.toString("utf8"));
  }
  return { files, watched };
}

/**
 * Checks the watched files; returns the ones that changed or vanished (and restores them when
 * `restore`). Cheap when nothing changed (one stat per file).
 */
export async function verifySnapshot(snapshot: Snapshot, restore = false): Promise<string[]> {
  const changed: string[] = [];
  for (const [file, was] of snapshot.watched) {
    let same = false;
    try {
      const st = statSync(file);
      if (st.size === was.size && st.mtimeMs === was.mtimeMs) same = true;
      else if (st.size === was.size) same = sha256(await fs.readFile(file)) === was.sha256;
    } catch {
      same = false;
    }
    if (same) continue;
    changed.push(file);
    if (!restore) {
      // Report each change once.
      try {
        const st = statSync(file);
        was.mtimeMs = st.mtimeMs;
        was.size = st.size;
        was.sha256 = sha256(await fs.readFile(file));
      } catch {
        was.size = -1;
      }
      continue;
    }
    try {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.rm(file, { force: true, recursive: true });
      await fs.writeFile(file, was.content);
      const st = statSync(file);
      was.mtimeMs = st.mtimeMs;
      was.size = st.size;
    } catch {
      /* reported as changed; nothing more we can do */
    }
  }
  return changed;
}
