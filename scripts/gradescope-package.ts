/**
 * `npm run gradescope-package`: the Gradescope autograder archive of a lesson (README, "Grading on
 * Gradescope").
 *
 *   npm run gradescope-package                              # one zip per lesson with exercises
 *   npm run gradescope-package -- --lesson 00-welcome --memory 2048 --out build/gradescope
 *
 * Each zip holds setup.sh and run_autograder at its root (Gradescope's contract) and the course
 * sources they need: package.json and the lock file, lib/, the grader and the notebook runner
 * (scripts/grade.ts, scripts/grader/, scripts/runner/), the instructor notebooks, the
 * hidden tests (tests/exercises/*.hidden.ts only), data/ (checkpoints; not full MNIST), and a fresh
 * release (release/manifest.json and the released notebook used to warm up). The zip is private to
 * the instructor's Gradescope account: it contains the solutions and the hidden tests.
 */
import { Command } from "commander";
import { promises as fs, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "./grader/context";
import { buildRelease, ReleaseError } from "./grader/release";
import { buildZip, ZipEntry } from "./grader/zip";
import { positiveInt, runIfMain } from "./cli";

const TEMPLATES = path.join(REPO_ROOT, "scripts", "grader", "gradescope");


/** Files under `dir` (relative to the repo), skipping build products and dependencies. */
function walk(rel: string, skip: (relPath: string) => boolean = () => false): string[] {
  const abs = path.join(REPO_ROOT, rel);
  let st;
  try {
    st = statSync(abs);
  } catch {
    return [];
  }
  if (st.isFile()) return skip(rel) ? [] : [rel];
  const out: string[] = [];
  for (const name of readdirSync(abs).sort()) {
    if (name === "node_modules" || name === ".git" || name.startsWith(".")) continue;
    const child = path.posix.join(rel.split(path.sep).join("/"), name);
    if (skip(child)) continue;
    out.push(...walk(child, skip));
  }
  return out;
}

export interface PackageOptions {
  lessons?: string[];
  outDir?: string;
  memoryMb?: number;
  visibility?: string;
  withMnist?: boolean;
}

export async function packageLessons(opts: PackageOptions): Promise<{ lesson: string; zip: string; files: number; bytes: number }[]> {
  const released = await buildRelease({ repoRoot: REPO_ROOT, lessons: opts.lessons });
  const lessons = released.lessons.filter((l) => l.exercises > 0);
  if (!lessons.length) throw new Error("no lesson with exercises to package");
  const setup = await fs.readFile(path.join(TEMPLATES, "setup.sh"), "utf8");
  const run = await fs.readFile(path.join(TEMPLATES, "run_autograder"), "utf8");
  const outDir = path.resolve(opts.outDir ?? path.join(REPO_ROOT, "build", "gradescope"));
  await fs.mkdir(outDir, { recursive: true });

  const common = [
    "package.json",
    "package-lock.json",
    "tsconfig.json",
    ...walk("lib", (p) => p === "lib/dist" || p.endsWith(".tsbuildinfo")),
    "scripts/grade.ts",
    "scripts/cli.ts",
    ...walk("scripts/grader"),
    ...walk("scripts/runner"),
    ...walk("notebooks", (p) => !p.endsWith(".ipynb") && p !== "notebooks"),
    ...walk("tests/exercises", (p) => p !== "tests/exercises" && !p.endsWith(".hidden.ts")),
    ...walk("data", (p) => !opts.withMnist && p === "data/mnist"),
    "release/manifest.json",
  ];
  const out = [];
  for (const l of lessons) {
    const flags = [`--memory ${opts.memoryMb ?? 2048}`].join(" ");
    const fill = (t: string) =>
      t
        .replace(/@NODE_VERSION@/g, process.versions.node)
        .replace(/@LESSON@/g, l.stem)
        .replace(/@VISIBILITY@/g, opts.visibility ?? "visible")
        .replace(/@GRADE_FLAGS@/g, flags);
    const entries: ZipEntry[] = [
      { name: "setup.sh", data: Buffer.from(fill(setup)), mode: 0o755 },
      { name: "run_autograder", data: Buffer.from(fill(run)), mode: 0o755 },
    ];
    for (const rel of [...new Set([...common, `release/notebooks/${l.stem}.ipynb`])]) {
      const abs = path.join(REPO_ROOT, rel);
      const st = statSync(abs, { throwIfNoEntry: false });
      if (!st?.isFile()) continue;
      entries.push({ name: rel.split(path.sep).join("/"), data: await fs.readFile(abs), mode: st.mode & 0o111 ? 0o755 : 0o644 });
    }
    const zip = buildZip(entries);
    const file = path.join(outDir, `${l.stem}-autograder.zip`);
    await fs.writeFile(file, zip);
    out.push({ lesson: l.stem, zip: file, files: entries.length, bytes: zip.length });
  }
  return out;
}

export async function main(argv = process.argv): Promise<number> {
  const program = new Command()
    .name("gradescope-package")
    .description("Build the Gradescope autograder zip of each lesson with exercises (setup.sh, run_autograder, the course).")
    .option("-l, --lesson <stem...>", "only these lessons")
    .option("-o, --out <dir>", "output directory", "build/gradescope")
    .option("--memory <MiB>", "memory limit per grading process on Gradescope (give the container at least 1 GB more)", positiveInt, 2048)
    .option("--visibility <v>", "visibility of the test results on Gradescope (visible, hidden, after_due_date, after_published)", "visible")
    .option("--with-mnist", "also ship data/mnist (full MNIST, if present)")
    .showHelpAfterError();
  program.parse(argv);
  const o = program.opts();
  try {
    const zips = await packageLessons({ lessons: o.lesson, outDir: o.out, memoryMb: o.memory, visibility: o.visibility, withMnist: o.withMnist });
    for (const z of zips) console.log(`${z.lesson}: ${path.relative(process.cwd(), z.zip)} (${z.files} files, ${(z.bytes / 1048576).toFixed(1)} MB)`);
    console.log("Upload a zip as the assignment's autograder on Gradescope (Configure Autograder -> Zip file upload); keep it private: it holds the solutions and hidden tests.");
    return 0;
  } catch (e) {
    console.error(`gradescope-package: ${e instanceof ReleaseError ? e.message : ((e as Error).stack ?? e)}`);
    return 1;
  }
}

runIfMain(import.meta.url, "gradescope-package", () => main());
