/**
 * The release check (`npm run release -- --check`), through the grader itself:
 *
 * 1. the released notebook, graded as a submission, must score zero (every hidden case fails on the
 *    stubs: a case that passes tests nothing), and its run "as is" must execute every cell before the
 *    first exercise, fail only with the stubs' "not implemented yet" errors, and fail at every
 *    exercise's visible checks (so the checks do call the function);
 * 2. the instructor's notebook, graded as a submission, must get full marks, and its run must have
 *    no failing cell.
 */
import path from "node:path";
import type { GradingContext } from "./context";
import { GradeOptions, GradeResult, gradeSubmission } from "./grade";
import { isStubMessage } from "./lesson";

export interface ReleaseCheck {
  stem: string;
  ok: boolean;
  problems: string[];
  /** One line per finding (what ran, what failed as expected). */
  lines: string[];
  release: GradeResult;
  instructor: GradeResult;
}

export async function checkRelease(ctx: GradingContext, stem: string, releasePath: string, opts: GradeOptions = {}): Promise<ReleaseCheck> {
  const bundle = ctx.lessons.get(stem);
  if (!bundle) throw new Error(`unknown lesson ${stem}`);
  const lesson = bundle.lesson;
  const problems: string[] = [];
  const lines: string[] = [];

  const [release, instructor] = await Promise.all([
    gradeSubmission(releasePath, ctx, { ...opts, lesson: stem, run: true, student: `${stem} (release)` }),
    gradeSubmission(lesson.notebookPath, ctx, { ...opts, lesson: stem, run: true, student: `${stem} (instructor)` }),
  ]);

  // 1. The release.
  if (release.status !== "graded") problems.push(`the release could not be graded: ${release.message}`);
  if (release.lockedChanges.length) problems.push(`the release does not match its own checksums: ${release.lockedChanges.map((c) => `${c.cellId} ${c.kind}`).join(", ")}`);
  for (const e of release.exercises) {
    for (const c of e.cases) if (c.passed) problems.push(`hidden case "${e.id}: ${c.name}" passes on the stub (it does not test the student's code)`);
  }
  const firstExercise = lesson.cells.find((c) => c.role === "exercise");
  const cells = release.feedback?.cells ?? [];
  const byId = new Map(lesson.cells.map((c) => [c.id, c]));
  let sawStub = false;
  for (const run of cells) {
    const lc = byId.get(run.id);
    if (!lc) continue;
    const beforeFirst = firstExercise !== undefined && lc.index < firstExercise.index;
    if (run.status === "ok") continue;
    if (beforeFirst) {
      problems.push(`release: cell ${lc.index + 1} (before the first exercise) fails: ${run.error}`);
      continue;
    }
    if (run.error && isStubMessage(run.error)) {
      sawStub = true;
      continue;
    }
    if (sawStub && run.error && /^(ReferenceError|TypeScriptError)/.test(run.error)) {
      lines.push(`release: cell ${lc.index + 1} fails because an earlier stub did (${run.error.split("\n")[0]})`);
      continue;
    }
    problems.push(`release: cell ${lc.index + 1} fails with something other than a stub: ${run.error}`);
  }
  for (const ex of lesson.exercises) {
    const checks = cells.find((c) => c.id === ex.checksCellId);
    if (!checks) problems.push(`release: the visible checks of ${ex.id} did not run`);
    else if (checks.status === "ok") problems.push(`release: the visible checks of ${ex.id} pass on the stub (they do not call the exercise's function)`);
    else if (!checks.error || !checks.error.includes(`Exercise ${ex.id}: not implemented yet`)) {
      if (!(checks.error && isStubMessage(checks.error))) problems.push(`release: the visible checks of ${ex.id} fail with "${checks.error}" instead of the stub's error`);
    }
  }
  const ran = cells.filter((c) => c.status !== "not-run").length;
  lines.push(`release: ${ran}/${cells.length} code cells ran; failures only at the stubs: ${problems.length ? "no" : "yes"}; hidden tests on the stubs: ${release.score}/${release.maxScore}`);

  // 2. The instructor's version.
  if (instructor.status !== "graded") problems.push(`the instructor notebook could not be graded: ${instructor.message}`);
  if (instructor.score !== instructor.maxScore) {
    for (const e of instructor.exercises) {
      for (const c of e.cases) if (!c.passed) problems.push(`instructor: "${e.id}: ${c.name}" fails: ${c.message}`);
    }
  }
  for (const run of instructor.feedback?.cells ?? []) {
    if (run.status !== "ok") problems.push(`instructor: cell ${run.index} fails: ${run.error}`);
  }
  lines.push(`instructor: ${instructor.score}/${instructor.maxScore} points; notebook run ${instructor.feedback?.ok ? "clean" : "with failures"} (${instructor.seconds.toFixed(1)} s)`);
  for (const w of bundle.warnings) lines.push(`warning: ${w}`);

  return { stem, ok: problems.length === 0, problems, lines: lines.map((l) => `${path.basename(stem)}: ${l}`), release, instructor };
}
