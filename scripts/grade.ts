/**
 * `npm run grade`: the autograder (README, "Grading").
 *
 *   npm run grade -- alice.ipynb                              # -> build/grades/results.json, summary.txt, …
 *   npm run grade -- submissions/ --lesson 00-welcome --jobs 2 --out build/grades/00
 *   npm run grade -- --gradescope /autograder/submission --lesson 00-welcome --out /autograder/results
 *
 * One submission: its results go straight into --out (results.json in Gradescope's format,
 * summary.txt, grading.json with everything, executed.ipynb). Several (files, or folders of them):
 * one folder per student under --out, plus scores.csv and summary.txt for the class.
 * --gradescope: the input is one student's submission folder; its notebook is found and graded,
 * and results.json is always written (a placeholder first, replaced at the end).
 *
 * Exit code: 0 when every submission was graded (whatever the scores), 1 if any had an internal
 * error, 2 for bad arguments. With --gradescope always 0 once results.json is written.
 */
import { Command } from "commander";
import { promises as fs, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { killAllKernels } from "./runner";
import { killAllVerdictProcesses } from "./grader/verdicts";
import { collectSubmissions, gradeBatch } from "./grader/batch";
import { GradingContext } from "./grader/context";
import { DEFAULTS, GradeOptions, GradeResult, gradeSubmission } from "./grader/grade";
import { summaryText, Visibility, writeResult } from "./grader/results";
import { identifyLesson, parseSubmission } from "./grader/submission";
import { positiveInt, positiveNumber, runIfMain } from "./cli";



const VISIBILITIES = ["visible", "hidden", "after_due_date", "after_published"];

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith(".") || name === "__MACOSX") continue;
    const p = path.join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...walk(p));
    else if (st.isFile()) out.push(p);
  }
  return out;
}

/** Gradescope: the notebook of a submission folder (the one matching the lesson when there are several). */
async function pickGradescopeNotebook(dir: string, ctx: GradingContext, lesson?: string): Promise<string | null> {
  const files = walk(dir);
  const nbs = files.filter((f) => f.toLowerCase().endsWith(".ipynb"));
  if (nbs.length === 1) return nbs[0];
  if (nbs.length === 0) return files.length === 1 ? files[0] : null;
  let best: { file: string; evidence: number } | null = null;
  for (const f of nbs) {
    const p = await parseSubmission(f);
    if (!p.ok) continue;
    const bundles = lesson && ctx.lessons.get(lesson) ? [ctx.lessons.get(lesson)!] : [...ctx.lessons.values()];
    const id = identifyLesson(p.nb, bundles);
    if (!best || id.evidence > best.evidence) best = { file: f, evidence: id.evidence };
  }
  return best?.file ?? nbs[0];
}

function placeholder(message: string): string {
  return JSON.stringify({ score: 0, output: message, stdout_visibility: "hidden", tests: [] }, null, 1) + "\n";
}

export async function main(argv = process.argv): Promise<number> {
  const program = new Command()
    .name("grade")
    .description("Grade submitted notebooks: hidden tests in isolation, a feedback run, Gradescope results.json, CSV for a class.")
    .argument("[submissions...]", "notebooks, or folders of them (one file or sub-folder per student)")
    .option("-o, --out <dir>", "output directory", "build/grades")
    .option("-l, --lesson <stem>", "the assignment's lesson (e.g. 00-welcome); other lessons' notebooks get zero")
    .option("-j, --jobs <n>", "submissions graded at once (each has its own kernel and verdict process)", positiveInt, 1)
    .option("--no-run", "skip the feedback run of the notebook (verdicts only)")
    .option("--cell-timeout <s>", "time limit per cell in the feedback run", positiveNumber, DEFAULTS.cellTimeoutS)
    .option("--total-timeout <s>", "time limit for the whole feedback run", positiveNumber, DEFAULTS.totalTimeoutS)
    .option("--memory <MiB>", "memory limit of each process tree (kernel; verdict process)", positiveInt, DEFAULTS.memoryMb)
    .option("--init-timeout <s>", "time limit to define one exercise in the grading context", positiveNumber, DEFAULTS.initTimeoutS)
    .option("--case-timeout <s>", "time limit per hidden test case", positiveNumber, DEFAULTS.caseTimeoutS)
    .option("--backend <name>", "GAN_COURSE_BACKEND for the student's code (cpu, wasm, tensorflow)")
    .option("--visibility <v>", `Gradescope visibility of the tests (${VISIBILITIES.join(", ")})`, "visible")
    .option("--gradescope", "the input is one Gradescope submission folder; always write results.json")
    .option("--restore", "put back library/grader files a submission modified on disk (dedicated grading machines)")
    .option("--notebooks <dir>", "instructor notebooks (default notebooks/)")
    .option("--tests <dir>", "hidden tests (default tests/exercises/)")
    .option("--manifest <file>", "release manifest (default release/manifest.json)")
    .option("-q, --quiet", "no progress lines")
    .showHelpAfterError();
  program.parse(argv);
  const o = program.opts();
  const inputs = program.args;
  if (!VISIBILITIES.includes(o.visibility)) {
    console.error(`grade: --visibility must be one of ${VISIBILITIES.join(", ")}`);
    return 2;
  }
  if (!inputs.length) {
    program.outputHelp();
    return 2;
  }
  const log = (s: string) => {
    if (!o.quiet) console.log(s);
  };
  const outDir = path.resolve(o.out);
  const visibility = o.visibility as Visibility;
  const gradeOpts: GradeOptions = {
    lesson: o.lesson,
    run: o.run,
    cellTimeoutS: o.cellTimeout,
    totalTimeoutS: o.totalTimeout,
    memoryMb: o.memory,
    initTimeoutS: o.initTimeout,
    caseTimeoutS: o.caseTimeout,
    backend: o.backend,
    restore: o.restore,
  };

  if (o.gradescope) await fs.mkdir(outDir, { recursive: true }).then(() => fs.writeFile(path.join(outDir, "results.json"), placeholder("The autograder did not finish (it ran out of time or crashed). Please contact the course staff.")));

  let ctx: GradingContext;
  const t0 = performance.now();
  try {
    ctx = await GradingContext.create({ notebooksDir: o.notebooks, testsDir: o.tests, manifestPath: o.manifest });
  } catch (e) {
    const msg = `internal error: the grader could not load the course: ${(e as Error).message}`;
    console.error(`grade: ${msg}`);
    if (o.gradescope) await fs.writeFile(path.join(outDir, "results.json"), placeholder(msg));
    return o.gradescope ? 0 : 1;
  }
  for (const w of ctx.warnings) log(`warning: ${w}`);
  if (o.lesson && !ctx.lessons.has(o.lesson)) {
    console.error(`grade: unknown lesson "${o.lesson}" (known: ${[...ctx.lessons.keys()].join(", ")})`);
    if (o.gradescope) await fs.writeFile(path.join(outDir, "results.json"), placeholder(`internal error: unknown lesson ${o.lesson}`));
    return o.gradescope ? 0 : 2;
  }
  log(`grader ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  if (o.gradescope) {
    const dir = inputs[0];
    let result: GradeResult;
    const file = statSync(dir, { throwIfNoEntry: false })?.isDirectory() ? await pickGradescopeNotebook(dir, ctx, o.lesson) : dir;
    if (!file) {
      await fs.writeFile(path.join(outDir, "results.json"), placeholder("No .ipynb file was found in the submission. Upload your lesson notebook (.ipynb)."));
      log("no notebook in the submission");
      return 0;
    }
    result = await gradeSubmission(file, ctx, { ...gradeOpts, student: "submission" });
    await writeResult(outDir, result, visibility);
    log(summaryText(result));
    return 0;
  }

  const subs = await collectSubmissions(inputs);
  if (!subs.length) {
    console.error("grade: no submissions found");
    return 2;
  }
  if (subs.length === 1 && !statSync(inputs[0], { throwIfNoEntry: false })?.isDirectory()) {
    const r = await gradeSubmission(subs[0].file, ctx, { ...gradeOpts, student: subs[0].student });
    await writeResult(outDir, r, visibility);
    log(summaryText(r));
    for (const w of r.warnings) log(`warning: ${w.split("\n")[0]}`);
    log(`results: ${path.relative(process.cwd(), path.join(outDir, "results.json"))} (${r.seconds.toFixed(1)} s)`);
    return r.status === "internal-error" ? 1 : 0;
  }
  const tBatch = performance.now();
  const results = await gradeBatch(subs, ctx, {
    ...gradeOpts,
    jobs: o.jobs,
    outDir,
    visibility,
    onResult: (r, done, total) => {
      const status = r.status === "graded" ? "" : `  [${r.status}]`;
      log(`[${done}/${total}] ${r.student.padEnd(24)} ${`${Math.round(r.score * 1000) / 1000}/${r.maxScore}`.padStart(8)}  ${r.seconds.toFixed(1)} s${status}`);
      for (const w of r.warnings) log(`    warning: ${w.split("\n")[0]}`);
    },
  });
  const wall = (performance.now() - tBatch) / 1000;
  const graded = results.filter((r) => r.status === "graded").length;
  const mean = results.reduce((s, r) => s + r.score, 0) / results.length;
  log(`${results.length} submission(s), ${graded} graded, mean score ${mean.toFixed(2)}; ${wall.toFixed(1)} s wall (${(wall / results.length).toFixed(1)} s per submission with --jobs ${o.jobs})`);
  log(`scores: ${path.relative(process.cwd(), path.join(outDir, "scores.csv"))}`);
  return results.some((r) => r.status === "internal-error") ? 1 : 0;
}

runIfMain(import.meta.url, "grade: internal error", () => main(), {
  cleanup: () => {
    killAllKernels();
    killAllVerdictProcesses();
  },
});
