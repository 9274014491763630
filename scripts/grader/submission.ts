/**
 * Reading a submission and lining it up with its lesson.
 *
 * - parse: a file that is unreadable, too large, not JSON or not an nbformat-4 notebook is a result
 *   with a message, never an exception;
 * - identify: which lesson a notebook belongs to, from what it contains (its cell ids and exercise
 *   ids; its own metadata only as a tie-breaker) - a notebook of another lesson is recognised as such;
 * - match: each exercise's code is the cell whose metadata names the exercise, else the cell with
 *   the exercise cell's id (metadata stripped), else it is missing; each locked cell is compared with
 *   the instructor-side checksum and reported edited or deleted; the student's own extra cells are
 *   kept after the lesson cell they followed;
 * - gradedNotebook: the notebook that is run for feedback: the lesson's cells in the lesson's order,
 *   locked cells restored, the student's exercise code, the student's extra cells.
 */
import { promises as fs } from "node:fs";
import { cellSource, Notebook, NotebookCell, NotebookFormatError, validateNotebook } from "../runner/notebook";
import type { LessonBundle } from "./context";
import { cellChecksum, exerciseIdOf, ganMeta } from "./lesson";

export const MAX_SUBMISSION_BYTES = 64 * 1024 * 1024;

export type ParseResult = { ok: true; nb: Notebook } | { ok: false; kind: "unreadable" | "too-large" | "not-json" | "not-notebook"; message: string };

export async function parseSubmission(file: string): Promise<ParseResult> {
  let buf: Buffer;
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) return { ok: false, kind: "unreadable", message: "not a file" };
    if (st.size > MAX_SUBMISSION_BYTES) return { ok: false, kind: "too-large", message: `the file is ${Math.round(st.size / 1048576)} MB; the limit is ${MAX_SUBMISSION_BYTES / 1048576} MB` };
    buf = await fs.readFile(file);
  } catch (e) {
    return { ok: false, kind: "unreadable", message: `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(buf.toString("utf8").replace(/^\uFEFF/, ""));
  } catch (e) {
    const head = buf.subarray(0, 4).toString("latin1");
    const hint = head.startsWith("PK") ? " (it looks like a zip archive)" : head.startsWith("%PDF") ? " (it is a PDF)" : "";
    return { ok: false, kind: "not-json", message: `not a Jupyter notebook: the file is not valid JSON${hint} (${(e as Error).message.split("\n")[0]})` };
  }
  try {
    return { ok: true, nb: validateNotebook(json, "submission") };
  } catch (e) {
    const problem = e instanceof NotebookFormatError ? e.problem : (e as Error).message;
    return { ok: false, kind: "not-notebook", message: `not a Jupyter notebook: ${problem}` };
  }
}

export interface Identification {
  /** The best-matching lesson, or null when nothing matches. */
  stem: string | null;
  /** How many of the lesson's cell ids and exercise ids the notebook has. */
  evidence: number;
  /** What the notebook's own metadata claims (not trusted, reported). */
  claimed: string | null;
}

export function identifyLesson(nb: Notebook, bundles: LessonBundle[]): Identification {
  const ids = new Set(nb.cells.map((c) => c.id).filter((x): x is string => typeof x === "string"));
  const exIds = new Set(nb.cells.map((c) => exerciseIdOf(c)).filter((x): x is string => !!x));
  const claimedRaw = nb.metadata?.gan_course?.lesson;
  const claimed = typeof claimedRaw === "string" ? claimedRaw : null;
  let best: Identification = { stem: null, evidence: 0, claimed };
  let bestScore = 0;
  for (const b of bundles) {
    let evidence = 0;
    for (const c of b.lesson.cells) if (ids.has(c.id)) evidence++;
    for (const e of b.lesson.exercises) if (exIds.has(e.id)) evidence += 2;
    const score = evidence * 2 + (claimed === b.lesson.stem ? 1 : 0);
    if (score > bestScore) {
      bestScore = score;
      best = { stem: b.lesson.stem, evidence, claimed };
    }
  }
  return best;
}

export interface MatchedExercise {
  id: string;
  source: string | null;
  foundBy: "metadata" | "cell-id" | null;
  /** 0-based index in the submission. */
  at: number | null;
  /** Other cells that also claimed this exercise (the last one is graded). */
  duplicates: number;
}

export interface LockedChange {
  cellId: string;
  /** 1-based position in the lesson. */
  index: number;
  cellType: string;
  kind: "edited" | "deleted";
}

export interface Matched {
  exercises: Map<string, MatchedExercise>;
  lockedChanges: LockedChange[];
  /** Student cells that are not lesson cells, keyed by the lesson cell id they follow ("" = before all). */
  extras: Map<string, NotebookCell[]>;
  /** Lesson cells whose position in the submission differs from the lesson's order. */
  moved: string[];
}

export function matchCells(nb: Notebook, bundle: LessonBundle): Matched {
  const lesson = bundle.lesson;
  const lessonIds = new Map(lesson.cells.map((c) => [c.id, c]));
  const exercises = new Map<string, MatchedExercise>();
  const claimedBy = new Map<number, string>();
  for (const ex of lesson.exercises) {
    const byMeta = nb.cells.map((c, i) => [c, i] as const).filter(([c]) => c.cell_type === "code" && exerciseIdOf(c) === ex.id);
    if (byMeta.length) {
      const [cell, i] = byMeta[byMeta.length - 1];
      exercises.set(ex.id, { id: ex.id, source: cellSource(cell), foundBy: "metadata", at: i, duplicates: byMeta.length - 1 });
      claimedBy.set(i, ex.id);
      continue;
    }
    const i = nb.cells.findIndex((c) => c.id === ex.cellId && c.cell_type === "code");
    if (i >= 0) {
      exercises.set(ex.id, { id: ex.id, source: cellSource(nb.cells[i]), foundBy: "cell-id", at: i, duplicates: 0 });
      claimedBy.set(i, ex.id);
    } else {
      exercises.set(ex.id, { id: ex.id, source: null, foundBy: null, at: null, duplicates: 0 });
    }
  }

  const lockedChanges: LockedChange[] = [];
  const firstById = new Map<string, number>();
  nb.cells.forEach((c, i) => {
    if (typeof c.id === "string" && !firstById.has(c.id)) firstById.set(c.id, i);
  });
  for (const lc of lesson.cells) {
    if (lc.role === "exercise") continue;
    const expected = bundle.checksums.get(lc.id) ?? lc.sha256;
    const i = firstById.get(lc.id);
    if (i === undefined || claimedBy.has(i)) {
      lockedChanges.push({ cellId: lc.id, index: lc.index + 1, cellType: lc.cellType, kind: "deleted" });
      continue;
    }
    const c = nb.cells[i];
    if (cellChecksum(c.cell_type, cellSource(c)) !== expected) lockedChanges.push({ cellId: lc.id, index: lc.index + 1, cellType: lc.cellType, kind: "edited" });
  }

  // Extra cells and order.
  const extras = new Map<string, NotebookCell[]>();
  let anchor = "";
  const order: number[] = [];
  nb.cells.forEach((c, i) => {
    const exId = claimedBy.get(i);
    const lessonCell = exId !== undefined ? lesson.cells.find((x) => x.id === lesson.exercises.find((e) => e.id === exId)!.cellId) : typeof c.id === "string" && firstById.get(c.id) === i ? lessonIds.get(c.id) : undefined;
    if (lessonCell) {
      anchor = lessonCell.id;
      order.push(lessonCell.index);
      return;
    }
    if (exerciseIdOf(c) !== undefined) return; // a duplicate exercise cell: not run twice
    const list = extras.get(anchor) ?? [];
    list.push(c);
    extras.set(anchor, list);
  });
  const moved: string[] = [];
  let maxSoFar = -1;
  for (const idx of order) {
    if (idx < maxSoFar) moved.push(lesson.cells[idx].id);
    maxSoFar = Math.max(maxSoFar, idx);
  }
  return { exercises, lockedChanges, extras, moved };
}

/** The notebook run for feedback (see the header). */
export function gradedNotebook(bundle: LessonBundle, matched: Matched): Notebook {
  const lesson = bundle.lesson;
  const cells: NotebookCell[] = [];
  const pushExtras = (anchor: string) => {
    for (const c of matched.extras.get(anchor) ?? []) {
      const copy: NotebookCell = { cell_type: c.cell_type, id: c.id, metadata: { ...c.metadata, gan_course: { ...ganMeta(c), student: true } }, source: cellSource(c) };
      delete copy.metadata.gan_course.exercise;
      if (c.cell_type === "code") {
        copy.outputs = [];
        copy.execution_count = null;
      }
      cells.push(copy);
    }
  };
  pushExtras("");
  const changes = new Map(matched.lockedChanges.map((c) => [c.cellId, c.kind]));
  for (const lc of lesson.cells) {
    const metadata: Record<string, any> = {};
    let source = lc.releaseSource;
    if (lc.role === "exercise") {
      const ex = lesson.exercises.find((e) => e.cellId === lc.id)!;
      const m = matched.exercises.get(ex.id);
      metadata.gan_course = { exercise: { id: ex.id, points: ex.points } };
      if (m?.source != null) source = m.source;
      else metadata.gan_course.missing = true;
    } else {
      metadata.gan_course = { locked: true, ...(lc.role === "checks" ? { checks: lc.exerciseId } : {}) };
      const kind = changes.get(lc.id);
      if (kind) metadata.gan_course.restored = kind;
    }
    const cell: NotebookCell = { cell_type: lc.cellType, id: lc.id, metadata, source };
    if (lc.cellType === "code") {
      cell.outputs = [];
      cell.execution_count = null;
    }
    cells.push(cell);
    pushExtras(lc.id);
  }
  // Extra cells must not reuse lesson ids (nbformat requires unique ids).
  const seen = new Set<string>();
  let n = 0;
  for (const c of cells) {
    if (!c.id || seen.has(c.id)) c.id = `student-${++n}`;
    seen.add(c.id);
  }
  return { nbformat: 4, nbformat_minor: 5, metadata: { ...lesson.metadata, gan_course: { ...(lesson.metadata.gan_course ?? {}), lesson: lesson.stem } }, cells };
}
