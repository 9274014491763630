/**
 * The autograder's model of a lesson: which cells of an instructor notebook are exercises, visible
 * checks and locked cells (README, "Exercises"), the checksum of every locked cell, and the student
 * version of each exercise cell (its BEGIN/END SOLUTION regions replaced by a stub).
 *
 * Everything here is pure (no I/O besides reading the notebook), so release, grading and tests
 * share one definition of "locked", "edited" and "stub".
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { cellSource, Notebook, NotebookCell, readNotebook } from "../runner/notebook";
import { topLevelDeclarations } from "./slice";

export type CellRole = "exercise" | "checks" | "locked";

export interface LessonCell {
  /** nbformat 4.5 cell id. */
  id: string;
  /** 0-based position in the instructor notebook. */
  index: number;
  cellType: NotebookCell["cell_type"];
  role: CellRole;
  /** The instructor's source (with the solution, for exercise cells). */
  source: string;
  /** What students get: the same as `source` except for exercise cells (stubbed). */
  releaseSource: string;
  /** Checksum of the released source (what a student's unedited cell hashes to). */
  sha256: string;
  /** For exercise and checks cells: the exercise id. */
  exerciseId?: string;
  /** Per-cell time limit from the instructor's metadata (gan_course.timeout, s). */
  timeoutS?: number;
  /** `"gan_course": {"grader": "setup"}`: always part of an exercise's grading context. */
  graderSetup: boolean;
}

export interface LessonExercise {
  /** "<lesson>/<name>". */
  id: string;
  points: number;
  cellId: string;
  /** Cell id of the visible checks that follow it. */
  checksCellId: string | null;
  /** Top-level names the instructor's exercise cell defines (what the student must define). */
  names: string[];
}

export interface Lesson {
  /** File stem, e.g. "00-welcome". */
  stem: string;
  /** Path of the instructor notebook. */
  notebookPath: string;
  /** sha256 of the instructor notebook file's text. */
  notebookSha256: string;
  cells: LessonCell[];
  exercises: LessonExercise[];
  /** Notebook metadata of the instructor version (kernelspec, language_info, gan_course...). */
  metadata: Record<string, any>;
  nbformatMinor: number;
  /** Problems that make the lesson unreleasable (empty when fine). */
  problems: string[];
}

export const BEGIN_SOLUTION = /^(\s*)\/\/\s*BEGIN SOLUTION\b.*$/;
export const END_SOLUTION = /^\s*\/\/\s*END SOLUTION\b.*$/;

/** The stub that replaces a solution region (README, "Exercises"). */
export function stubLine(exerciseId: string): string {
  return `throw new Error("Exercise ${exerciseId}: not implemented yet");`;
}

/** A stub's error message, as a student (or the release check) sees it. */
export function isStubMessage(message: string): boolean {
  return /Exercise \S+: not implemented yet/.test(message);
}

/**
 * Source normalisation for checksums: line endings, trailing whitespace on each line and trailing
 * blank lines do not count as edits (editors and Jupyter versions differ there).
 */
export function normaliseSource(source: string): string {
  return source
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((l) => l.replace(/[ \t]+$/, ""))
    .join("\n")
    .replace(/\n+$/, "");
}

/** sha256 of a cell's type and normalised source, hex. */
export function cellChecksum(cellType: string, source: string): string {
  return createHash("sha256").update(`${cellType}\n${normaliseSource(source)}`).digest("hex");
}

export function sha256(text: string | Buffer): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Replaces every `// BEGIN SOLUTION` … `// END SOLUTION` region (marker lines included) with the
 * stub, indented like the BEGIN line. Throws on unbalanced markers.
 */
export function stubSolutions(source: string, exerciseId: string): { source: string; regions: number } {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  let regions = 0;
  let inside: string | null = null;
  lines.forEach((line, i) => {
    const begin = BEGIN_SOLUTION.exec(line);
    if (begin) {
      if (inside !== null) throw new Error(`line ${i + 1}: BEGIN SOLUTION inside another solution region`);
      inside = begin[1];
      return;
    }
    if (END_SOLUTION.test(line)) {
      if (inside === null) throw new Error(`line ${i + 1}: END SOLUTION without BEGIN SOLUTION`);
      out.push(`${inside}${stubLine(exerciseId)}`);
      regions++;
      inside = null;
      return;
    }
    if (inside === null) out.push(line);
  });
  if (inside !== null) throw new Error("BEGIN SOLUTION without END SOLUTION");
  return { source: out.join("\n"), regions };
}

function hasSolutionMarker(source: string): boolean {
  return source.split(/\r?\n/).some((l) => BEGIN_SOLUTION.test(l) || END_SOLUTION.test(l));
}

/** gan_course metadata of a cell, or {}. */
export function ganMeta(cell: { metadata?: Record<string, any> }): Record<string, any> {
  const m = cell.metadata?.gan_course;
  return m && typeof m === "object" && !Array.isArray(m) ? m : {};
}

/** The exercise id a cell's metadata declares, if any (only well-formed declarations count). */
export function exerciseIdOf(cell: { metadata?: Record<string, any> }): string | undefined {
  const ex = ganMeta(cell).exercise;
  return ex && typeof ex === "object" && typeof ex.id === "string" ? ex.id : undefined;
}

export function checksIdOf(cell: { metadata?: Record<string, any> }): string | undefined {
  const c = ganMeta(cell).checks;
  return typeof c === "string" ? c : undefined;
}

/** Builds the lesson model from a parsed instructor notebook. Problems are collected, not thrown. */
export function lessonFromNotebook(nb: Notebook, notebookPath: string, notebookText = ""): Lesson {
  const stem = path.basename(notebookPath).replace(/\.ipynb$/, "");
  const problems: string[] = [];
  const cells: LessonCell[] = [];
  const exercises: LessonExercise[] = [];
  const seenIds = new Set<string>();

  nb.cells.forEach((cell, index) => {
    const where = `cell ${index + 1}`;
    let id = typeof cell.id === "string" && cell.id ? cell.id : "";
    if (!id) {
      problems.push(`${where} has no id (save the notebook as nbformat 4.5, which gives every cell an id)`);
      id = `cell-${index + 1}`;
    } else if (seenIds.has(id)) {
      problems.push(`${where}: duplicate cell id ${id}`);
    }
    seenIds.add(id);
    const source = cellSource(cell);
    const exId = cell.cell_type === "code" ? exerciseIdOf(cell) : undefined;
    const checksId = cell.cell_type === "code" ? checksIdOf(cell) : undefined;
    let role: CellRole = "locked";
    let releaseSource = source;
    if (exId !== undefined) {
      role = "exercise";
      const ex = ganMeta(cell).exercise;
      if (!exId.startsWith(`${stem}/`) || exId.length <= stem.length + 1) problems.push(`${where}: exercise id "${exId}" must be "${stem}/<name>"`);
      if (exercises.some((e) => e.id === exId)) problems.push(`${where}: exercise id "${exId}" is used twice`);
      const points = ex.points;
      if (!Number.isInteger(points) || points <= 0) problems.push(`${where}: exercise "${exId}" needs integer points > 0 (got ${JSON.stringify(points)})`);
      try {
        const stubbed = stubSolutions(source, exId);
        if (stubbed.regions === 0) problems.push(`${where}: exercise "${exId}" has no // BEGIN SOLUTION … // END SOLUTION region`);
        releaseSource = stubbed.source;
      } catch (e) {
        problems.push(`${where}: exercise "${exId}": ${(e as Error).message}`);
      }
      let names: string[] = [];
      try {
        names = topLevelDeclarations(source).filter((n) => !n.typeOnly && !n.imported).map((n) => n.name);
      } catch {
        /* reported at grading */
      }
      if (names.length === 0) problems.push(`${where}: exercise "${exId}" defines no top-level function or constant`);
      exercises.push({ id: exId, points: Number.isInteger(points) ? points : 0, cellId: id, checksCellId: null, names });
    } else if (checksId !== undefined) {
      role = "checks";
    }
    if (role !== "exercise" && hasSolutionMarker(source)) {
      problems.push(`${where}: a SOLUTION marker outside an exercise cell (only exercise cells may hold solutions)`);
    }
    const timeout = ganMeta(cell).timeout;
    cells.push({
      id,
      index,
      cellType: cell.cell_type,
      role,
      source,
      releaseSource,
      sha256: cellChecksum(cell.cell_type, releaseSource),
      exerciseId: exId ?? checksId,
      timeoutS: typeof timeout === "number" && timeout > 0 ? timeout : undefined,
      graderSetup: ganMeta(cell).grader === "setup",
    });
  });

  // Each exercise is followed by its visible checks (the next code cell).
  for (const ex of exercises) {
    const at = cells.findIndex((c) => c.id === ex.cellId);
    const next = cells.slice(at + 1).find((c) => c.cellType === "code");
    if (next && next.role === "checks" && next.exerciseId === ex.id) ex.checksCellId = next.id;
    else problems.push(`exercise "${ex.id}": the code cell after it must be its visible checks (metadata gan_course.checks = "${ex.id}")`);
  }
  for (const c of cells) {
    if (c.role === "checks" && !exercises.some((e) => e.id === c.exerciseId)) {
      problems.push(`cell ${c.index + 1}: visible checks for unknown exercise "${c.exerciseId}"`);
    }
  }

  return {
    stem,
    notebookPath,
    notebookSha256: sha256(notebookText),
    cells,
    exercises,
    metadata: nb.metadata ?? {},
    nbformatMinor: nb.nbformat_minor ?? 5,
    problems,
  };
}

/** Reads an instructor notebook and builds its lesson model. */
export async function loadLesson(notebookPath: string): Promise<Lesson> {
  const { promises: fs } = await import("node:fs");
  const text = await fs.readFile(notebookPath, "utf8");
  const nb = await readNotebook(notebookPath);
  return lessonFromNotebook(nb, notebookPath, text);
}

export function totalPoints(lesson: Lesson): number {
  return lesson.exercises.reduce((s, e) => s + e.points, 0);
}
