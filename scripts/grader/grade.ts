/**
 * Grading one submission, start to end (README, "Grading"):
 *
 * 1. read it (not a file / not JSON / not a notebook -> a zero result with the reason);
 * 2. identify its lesson (another lesson's notebook -> a zero result saying which lesson it is);
 * 3. line up its cells with the lesson: exercise code by exercise id or cell id, locked cells
 *    checked against the instructor-side checksums (edited or deleted ones are restored, reported);
 * 4. verdicts: each exercise's hidden tests against the student's cell, in a fresh isolate of a
 *    separate process, with the lesson's setup and dependency cells (slice.ts, verdicts.ts);
 * 5. the feedback run of the restored notebook on a fresh kernel (feedback.ts) - after the
 *    verdicts, so it cannot influence them;
 * 6. the result: score per test case, feedback per exercise, the executed notebook.
 *
 * gradeSubmission never throws: an internal error becomes a result with a message.
 */
import path from "node:path";
import type { Notebook } from "../runner/notebook";
import type { GradingContext, LessonBundle } from "./context";
import { FeedbackRun, lessonCwd, runFeedback } from "./feedback";
import { isStubMessage } from "./lesson";
import type { ExerciseJob } from "./sandbox/child";
import { chooseDependencies, SliceCell, topLevelDeclarations, transpileCell } from "./slice";
import { verifySnapshot } from "./snapshot";
import { gradedNotebook, identifyLesson, LockedChange, matchCells, parseSubmission } from "./submission";
import { runVerdicts } from "./verdicts";

export interface GradeOptions {
  /** The assignment's lesson: a notebook of another lesson gets zero. Default: whatever it is. */
  lesson?: string;
  /** Student name for reports. Default: the file's stem. */
  student?: string;
  /** Run the notebook for feedback (default true). */
  run?: boolean;
  cellTimeoutS?: number; // 120
  totalTimeoutS?: number; // 900
  memoryMb?: number; // 3072
  /** Exercise grading: time to define the exercise (slice), per test case. */
  initTimeoutS?: number; // 120
  caseTimeoutS?: number; // 60
  /** GAN_COURSE_BACKEND for the student's code (kernel and exercise workers). Default: setupLesson's choice. */
  backend?: string;
  /** Put back library/grader files a submission modified on disk (default false: report only). */
  restore?: boolean;
}

export const DEFAULTS = {
  cellTimeoutS: 120,
  totalTimeoutS: 900,
  memoryMb: 3072,
  initTimeoutS: 120,
  caseTimeoutS: 60,
};

export interface CaseResult {
  name: string;
  points: number;
  score: number;
  passed: boolean;
  message?: string;
}

export type ExerciseStatus = "graded" | "missing" | "error";

export interface ExerciseResult {
  id: string;
  points: number;
  score: number;
  status: ExerciseStatus;
  /** How the cell was found: by its exercise metadata, or by cell id when the metadata was removed. */
  foundBy: "metadata" | "cell-id" | null;
  /** One paragraph for the student: what failed first and why, and the notes. */
  feedback: string;
  /** Notes beyond the cases: the cell threw while being defined, what the notebook run showed, … */
  notes: string[];
  internal?: boolean;
  cases: CaseResult[];
  /** The exercise's console output in the grading context (instructor only). */
  output?: string;
}

export type SubmissionStatus = "graded" | "invalid" | "wrong-lesson" | "unknown-lesson" | "internal-error";

export interface GradeResult {
  file: string;
  student: string;
  lesson: string | null;
  status: SubmissionStatus;
  /** Why the submission could not be graded (status other than graded), or null. */
  message: string | null;
  score: number;
  maxScore: number;
  exercises: ExerciseResult[];
  lockedChanges: LockedChange[];
  /** Notes for the student (moved cells, duplicate exercise cells, the notebook run's failures). */
  notes: string[];
  /** Notes for the instructor (stale release, tampering with grader files, internal problems). */
  warnings: string[];
  feedback: { ok: boolean; cells: FeedbackRun["cells"]; notes: string[]; seconds: number } | null;
  /** The executed notebook, when it was run. */
  executed: Notebook | null;
  seconds: number;
}

function studentName(file: string): string {
  return path.basename(file).replace(/\.ipynb$/i, "");
}

function emptyResult(file: string, opts: GradeOptions, bundle: LessonBundle | undefined, status: SubmissionStatus, message: string, t0: number): GradeResult {
  const exercises: ExerciseResult[] = (bundle?.lesson.exercises ?? []).map((e) => ({
    id: e.id,
    points: e.points,
    score: 0,
    status: "missing",
    foundBy: null,
    feedback: message,
    notes: [],
    cases: (bundle?.hidden?.cases.get(e.id) ?? []).map((c) => ({ name: c.name, points: c.points, score: 0, passed: false, message })),
  }));
  return {
    file,
    student: opts.student ?? studentName(file),
    lesson: bundle?.lesson.stem ?? opts.lesson ?? null,
    status,
    message,
    score: 0,
    maxScore: bundle?.maxScore ?? 0,
    exercises,
    lockedChanges: [],
    notes: [],
    warnings: [],
    feedback: null,
    executed: null,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** The instructor cells an exercise's slice may draw on, with the setup cell forced. */
function earlierCells(bundle: LessonBundle, exerciseCellId: string): SliceCell[] {
  const lesson = bundle.lesson;
  const at = lesson.cells.findIndex((c) => c.id === exerciseCellId);
  const firstCode = lesson.cells.find((c) => c.cellType === "code");
  return lesson.cells
    .slice(0, at)
    .filter((c) => c.cellType === "code" && c.role !== "checks")
    .map((c) => ({ id: c.id, source: c.source, forced: c.id === firstCode?.id || c.graderSetup }));
}

/** Builds the job for one exercise: the slice's JavaScript, or the compile error. */
export function exerciseJob(bundle: LessonBundle, exerciseId: string, studentSource: string): ExerciseJob {
  const ex = bundle.lesson.exercises.find((e) => e.id === exerciseId)!;
  const instructor = bundle.lesson.cells.find((c) => c.id === ex.cellId)!;
  const job: ExerciseJob = { id: ex.id, js: "", names: [], expected: ex.names, allowedModules: bundle.allowedModules };
  const student = transpileCell(studentSource);
  if (student.errors.length) {
    job.compileError = student.errors.slice(0, 5).join("; ");
    return job;
  }
  let declared: string[] = [];
  try {
    declared = topLevelDeclarations(studentSource)
      .filter((d) => !d.typeOnly && !d.imported)
      .map((d) => d.name);
  } catch {
    /* compile check above covers it */
  }
  const deps = chooseDependencies(earlierCells(bundle, ex.cellId), [studentSource, instructor.source]);
  const parts: string[] = [];
  for (const d of deps) {
    const t = transpileCell(d.source);
    if (t.errors.length) throw new Error(`the lesson's cell ${d.id} does not compile: ${t.errors.join("; ")}`);
    parts.push(`// cell ${d.id}\n${t.js}`);
  }
  parts.push(`__mark("student");\n// exercise cell\n${student.js}`);
  job.js = parts.join("\n");
  job.names = [...new Set([...declared, ...ex.names])];
  return job;
}

function caseFeedback(cases: CaseResult[]): string {
  const failed = cases.filter((c) => !c.passed);
  if (!failed.length) return `all ${cases.length} test case(s) pass`;
  const first = failed[0];
  return `${failed.length} of ${cases.length} test case(s) fail; first: "${first.name}": ${first.message ?? "failed"}`;
}

export async function gradeSubmission(file: string, ctx: GradingContext, opts: GradeOptions = {}): Promise<GradeResult> {
  const t0 = performance.now();
  const expectedBundle = opts.lesson ? ctx.lessons.get(opts.lesson) : undefined;
  try {
    return await grade(file, ctx, opts, t0);
  } catch (e) {
    const r = emptyResult(file, opts, expectedBundle, "internal-error", `internal error while grading: ${(e as Error)?.message ?? e}`, t0);
    r.warnings.push(String((e as Error)?.stack ?? e));
    return r;
  }
}

async function grade(file: string, ctx: GradingContext, opts: GradeOptions, t0: number): Promise<GradeResult> {
  const o = { ...DEFAULTS, ...opts };
  const expectedBundle = opts.lesson ? ctx.lessons.get(opts.lesson) : undefined;
  if (opts.lesson && !expectedBundle) throw new Error(`unknown lesson "${opts.lesson}" (known: ${[...ctx.lessons.keys()].join(", ")})`);

  const parsed = await parseSubmission(file);
  if (!parsed.ok) return emptyResult(file, opts, expectedBundle, "invalid", parsed.message, t0);
  const nb = parsed.nb;

  const ident = identifyLesson(nb, [...ctx.lessons.values()]);
  let bundle: LessonBundle | undefined;
  if (expectedBundle) {
    if (ident.stem && ident.stem !== expectedBundle.lesson.stem) {
      return emptyResult(file, opts, expectedBundle, "wrong-lesson", `this is a notebook of lesson ${ident.stem}, not of ${expectedBundle.lesson.stem}: submit your ${expectedBundle.lesson.stem}.ipynb`, t0);
    }
    bundle = expectedBundle;
  } else if (ident.stem) {
    bundle = ctx.lessons.get(ident.stem);
  }
  if (!bundle) {
    return emptyResult(file, opts, undefined, "unknown-lesson", "cannot tell which lesson this notebook belongs to: it has none of the cells of any lesson", t0);
  }
  const lesson = bundle.lesson;
  const result: GradeResult = {
    ...emptyResult(file, opts, bundle, "graded", "", t0),
    message: null,
  };
  result.warnings.push(...bundle.warnings);
  if (ident.claimed && ident.claimed !== lesson.stem) result.notes.push(`the notebook's metadata says lesson ${ident.claimed}; graded as ${lesson.stem} from its cells`);
  if (ident.evidence === 0) result.notes.push(`this notebook has none of lesson ${lesson.stem}'s cells`);
  if (!bundle.hidden && lesson.exercises.length) throw new Error(`lesson ${lesson.stem} has exercises but no hidden tests`);

  const matched = matchCells(nb, bundle);
  result.lockedChanges = matched.lockedChanges;
  for (const m of matched.exercises.values()) {
    if (m.duplicates) result.notes.push(`${m.duplicates + 1} cells are marked as exercise ${m.id}; the last one was graded`);
    if (m.foundBy === "cell-id") result.notes.push(`exercise ${m.id}: its cell lost its exercise metadata; found by its cell id`);
  }
  if (matched.moved.length) result.notes.push(`${matched.moved.length} cell(s) were moved; the notebook was run in the lesson's order`);

  // 4. Verdicts.
  const jobs: ExerciseJob[] = [];
  for (const ex of lesson.exercises) {
    const m = matched.exercises.get(ex.id);
    if (m?.source == null) continue;
    jobs.push(exerciseJob(bundle, ex.id, m.source));
  }
  const caseNames = new Map(lesson.exercises.map((e) => [e.id, (bundle!.hidden?.cases.get(e.id) ?? []).map((c) => c.name)]));
  const outcomes = jobs.length
    ? await runVerdicts(jobs, {
        repoRoot: ctx.repoRoot,
        code: ctx.code,
        snapshot: ctx.snapshot?.files,
        codeCache: ctx.snapshot ? ctx.codeCache : undefined,
        hiddenJs: bundle.hidden!.js,
        caseNames,
        initTimeoutS: o.initTimeoutS,
        caseTimeoutS: o.caseTimeoutS,
        memoryMb: o.memoryMb,
        backend: opts.backend ?? process.env.GAN_COURSE_BACKEND,
      })
    : new Map();
  if (ctx.snapshot) {
    const changed = await verifySnapshot(ctx.snapshot, opts.restore);
    if (changed.length) result.warnings.push(`while the exercises were graded, ${changed.length} grader or library file(s) changed on disk${opts.restore ? " (restored)" : ""}: ${changed.slice(0, 5).join(", ")}`);
  }

  // 5. Feedback run.
  const executed = gradedNotebook(bundle, matched);
  if (o.run !== false) {
    const cellTimeouts = new Map<string, number>();
    const nbTimeout = typeof lesson.metadata.gan_course?.cell_timeout === "number" ? lesson.metadata.gan_course.cell_timeout : undefined;
    for (const c of lesson.cells) {
      if (c.role === "exercise") continue;
      const t = c.timeoutS ?? nbTimeout;
      if (t) cellTimeouts.set(c.id, Math.max(t, o.cellTimeoutS));
    }
    // Plots reference plotly.js instead of inlining its 3.5 MB into the feedback notebook.
    const env: Record<string, string | undefined> = { GAN_COURSE_PLOTLY_INLINE: "0" };
    if (opts.backend) env.GAN_COURSE_BACKEND = opts.backend;
    const fb = await runFeedback(executed, {
      cwd: lessonCwd(lesson.notebookPath),
      cellTimeoutS: o.cellTimeoutS,
      totalTimeoutS: o.totalTimeoutS,
      memoryMb: o.memoryMb,
      cellTimeouts,
      env,
    });
    result.executed = fb.notebook;
    result.feedback = { ok: fb.ok, cells: fb.cells, notes: fb.notes, seconds: fb.seconds };
    result.notes.push(...fb.notes);
    if (fb.killedProcesses) result.warnings.push(`the notebook left ${fb.killedProcesses} process(es) running; they were killed`);
    if (ctx.snapshot) {
      const changed = await verifySnapshot(ctx.snapshot, opts.restore);
      if (changed.length) result.warnings.push(`while the notebook ran, ${changed.length} grader or library file(s) changed on disk${opts.restore ? " (restored)" : ""}; the verdicts were computed before, from a copy: ${changed.slice(0, 5).join(", ")}`);
    }
  } else {
    result.executed = executed;
  }

  // 6. Results.
  const fbByCell = new Map((result.feedback?.cells ?? []).map((c) => [c.id, c]));
  result.exercises = lesson.exercises.map((ex) => {
    const infos = bundle!.hidden?.cases.get(ex.id) ?? [];
    const m = matched.exercises.get(ex.id);
    if (m?.source == null) {
      const msg = `exercise cell not found: the cell of ${ex.id} was deleted (or its metadata and id were both changed)`;
      return { id: ex.id, points: ex.points, score: 0, status: "missing" as const, foundBy: null, feedback: msg, notes: [msg], cases: infos.map((c) => ({ name: c.name, points: c.points, score: 0, passed: false, message: msg })) };
    }
    const out = outcomes.get(ex.id);
    const cases: CaseResult[] = infos.map((c, i) => {
      const oc = out?.cases[i];
      const passed = !!oc && oc.name === c.name && oc.passed;
      return { name: c.name, points: c.points, score: passed ? c.points : 0, passed, ...(passed ? {} : { message: oc?.message ?? out?.message ?? "not graded" }) };
    });
    const score = cases.reduce((s, c) => s + c.score, 0);
    let note = out?.message && out.status === "graded" ? out.message : undefined;
    if (out?.status === "error") note = out.message;
    // What the student saw in their own notebook run.
    const checksRun = ex.checksCellId ? fbByCell.get(ex.checksCellId) : undefined;
    const cellRun = fbByCell.get(ex.cellId);
    let seen = "";
    if (cellRun && cellRun.status !== "ok" && cellRun.status !== "not-run") seen = `in the notebook run, the exercise cell failed: ${cellRun.error}`;
    else if (checksRun && checksRun.status !== "ok" && checksRun.status !== "not-run") seen = `in the notebook run, the visible checks failed: ${checksRun.error}`;
    if (seen && isStubMessage(seen)) seen = "in the notebook run, the exercise still throws \"not implemented yet\"";
    const notes = [note, seen && score < ex.points ? seen : undefined].filter((x): x is string => !!x);
    const feedback = [caseFeedback(cases), ...notes].join(". ");
    if (out?.internal) result.warnings.push(`exercise ${ex.id}: ${out.message}`);
    return {
      id: ex.id,
      points: ex.points,
      score,
      status: out?.status === "error" ? ("error" as const) : ("graded" as const),
      foundBy: m.foundBy,
      feedback,
      notes,
      internal: out?.internal,
      cases,
      output: out?.output,
    };
  });
  result.score = result.exercises.reduce((s, e) => s + e.score, 0);
  result.maxScore = bundle.maxScore;
  result.seconds = (performance.now() - t0) / 1000;
  return result;
}
