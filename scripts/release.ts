/**
 * `npm run release`: the student release of every lesson (README, "Grading").
 *
 *   npm run release                         # release/notebooks/*.ipynb + release/manifest.json
 *   npm run release -- --lesson 00-welcome  # some lessons (the manifest keeps the others)
 *   npm run release -- --check              # then check each lesson with exercises (slow: runs them)
 *
 * Writes nothing if any lesson has a problem (an exercise without a solution region, visible checks
 * missing, hidden tests whose points do not add up, …); exit code 1 then, or when --check fails.
 * See scripts/grader/release.ts for what a released notebook contains.
 */
import { Command } from "commander";
import path from "node:path";
import { killAllKernels } from "./runner";
import { GradingContext, REPO_ROOT } from "./grader/context";
import { DEFAULTS } from "./grader/grade";
import { buildRelease, ReleaseError } from "./grader/release";
import { checkRelease } from "./grader/release-check";
import { killAllVerdictProcesses } from "./grader/verdicts";
import { positiveNumber, runIfMain } from "./cli";


export async function main(argv = process.argv): Promise<number> {
  const program = new Command()
    .name("release")
    .description("Write the student release of the lessons (solutions stubbed, outputs cleared, locked cells checksummed) and the instructor manifest.")
    .option("-l, --lesson <stem...>", "only these lessons")
    .option("-o, --out <dir>", "output directory", "release")
    .option("--notebooks <dir>", "instructor notebooks (default notebooks/)")
    .option("--tests <dir>", "hidden tests (default tests/exercises/)")
    .option("--check", "then run each released lesson as is and the instructor's version through the grader")
    .option("--cell-timeout <s>", "per-cell time limit for --check", positiveNumber, 600)
    .option("--backend <name>", "GAN_COURSE_BACKEND for --check")
    .showHelpAfterError();
  program.parse(argv);
  const o = program.opts();
  const outDir = path.resolve(o.out);
  let released;
  try {
    released = await buildRelease({
      repoRoot: REPO_ROOT,
      notebooksDir: o.notebooks ? path.resolve(o.notebooks) : undefined,
      testsDir: o.tests ? path.resolve(o.tests) : undefined,
      outDir,
      lessons: o.lesson,
    });
  } catch (e) {
    if (e instanceof ReleaseError) {
      console.error(`release: nothing written; ${e.message}`);
      return 1;
    }
    throw e;
  }
  for (const l of released.lessons) {
    console.log(`released ${l.stem}: ${l.exercises} exercise(s), ${l.maxScore} point(s), ${l.locked} locked cell(s) -> ${path.relative(process.cwd(), l.releasePath)}`);
  }
  console.log(`manifest (instructor side, do not hand out): ${path.relative(process.cwd(), released.manifestPath)}`);
  if (!o.check) return 0;

  const ctx = await GradingContext.create({
    notebooksDir: o.notebooks ? path.resolve(o.notebooks) : undefined,
    testsDir: o.tests ? path.resolve(o.tests) : undefined,
    manifestPath: released.manifestPath,
  });
  let failed = 0;
  for (const l of released.lessons) {
    if (l.exercises === 0) {
      console.log(`check ${l.stem}: no exercises (the release equals the lesson; \`npm run course\` runs it)`);
      continue;
    }
    const t0 = performance.now();
    const r = await checkRelease(ctx, l.stem, l.releasePath, {
      cellTimeoutS: o.cellTimeout,
      totalTimeoutS: Math.max(DEFAULTS.totalTimeoutS, o.cellTimeout * 10),
      backend: o.backend,
    });
    for (const line of r.lines) console.log(`  ${line}`);
    for (const p of r.problems) console.log(`  PROBLEM ${l.stem}: ${p}`);
    console.log(`check ${l.stem}: ${r.ok ? "ok" : "FAILED"} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    if (!r.ok) failed++;
  }
  return failed ? 1 : 0;
}

runIfMain(import.meta.url, "release", () => main(), {
  cleanup: () => {
    killAllKernels();
    killAllVerdictProcesses();
  },
});
