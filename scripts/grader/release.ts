/**
 * The student release: release/notebooks/<lesson>.ipynb for every lesson, and the instructor-side
 * manifest release/manifest.json the grader trusts.
 *
 * A released notebook is the instructor's with every solution region replaced by the stub
 * (lesson.ts), outputs and execution counts cleared, and cells marked: exercise cells keep
 * `gan_course.exercise` and get `deletable: false`; every other cell gets `gan_course.locked: true`
 * and Jupyter's own `editable: false, deletable: false` (JupyterLab then refuses edits). The notebook
 * metadata records the lesson and the checksum of every locked cell (gan_course.locked, by cell id),
 * so anyone can see what counts as tampering; the grader compares against the manifest, never
 * against what a submission says about itself.
 *
 * The manifest holds no solutions (those stay in notebooks/): per lesson, the checksums, the cells'
 * roles, the exercises with their points, names and hidden case names, and hashes of the instructor
 * notebook and hidden tests at release time (the grader warns when they changed since).
 */
import { promises as fs, readdirSync } from "node:fs";
import path from "node:path";
import { Notebook, NotebookCell, readNotebook, writeNotebook } from "../runner/notebook";
import { checkHiddenAgainstLesson, findHiddenTests, HiddenSuite, loadHiddenTests } from "./hidden";
import { CellRole, Lesson, lessonFromNotebook } from "./lesson";

export const MANIFEST_FORMAT = "gan-course-release/1";

export interface ManifestCell {
  id: string;
  cell_type: string;
  role: CellRole;
  exercise?: string;
  sha256: string;
}

export interface ManifestExercise {
  id: string;
  points: number;
  cell_id: string;
  checks_cell_id: string | null;
  names: string[];
  cases: { name: string; points: number }[];
}

export interface ManifestLesson {
  notebook: string;
  notebook_sha256: string;
  release: string;
  hidden_tests: string | null;
  hidden_tests_sha256: string | null;
  /** Locked cell id -> sha256 (lesson.ts cellChecksum). */
  locked: Record<string, string>;
  cells: ManifestCell[];
  exercises: ManifestExercise[];
  max_score: number;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  note: string;
  lessons: Record<string, ManifestLesson>;
}

export interface ReleaseOptions {
  repoRoot: string;
  /** Instructor notebooks. Default <repo>/notebooks. */
  notebooksDir?: string;
  /** Hidden tests. Default <repo>/tests/exercises. */
  testsDir?: string;
  /** Output. Default <repo>/release. */
  outDir?: string;
  /** Only these lesson stems (the manifest keeps the other lessons' entries). */
  lessons?: string[];
}

export interface ReleasedLesson {
  stem: string;
  releasePath: string;
  exercises: number;
  locked: number;
  maxScore: number;
}

export class ReleaseError extends Error {
  constructor(readonly problems: string[]) {
    super(`the release has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ReleaseError";
  }
}

/** The student version of an instructor notebook. */
export function releaseNotebook(lesson: Lesson, nb: Notebook): Notebook {
  const cells: NotebookCell[] = lesson.cells.map((lc, i) => {
    const src = nb.cells[i];
    const metadata: Record<string, any> = { ...src.metadata };
    delete metadata.execution;
    const gan: Record<string, any> = { ...(metadata.gan_course ?? {}) };
    delete gan.seconds;
    delete gan.locked;
    delete gan.restored;
    if (lc.role === "exercise") {
      metadata.deletable = false;
      metadata.editable = true;
    } else {
      gan.locked = true;
      metadata.editable = false;
      metadata.deletable = false;
    }
    metadata.gan_course = gan;
    const cell: NotebookCell = { cell_type: lc.cellType, id: lc.id, metadata, source: lc.releaseSource };
    if (lc.cellType === "code") {
      cell.outputs = [];
      cell.execution_count = null;
    }
    if (src.attachments !== undefined) cell.attachments = src.attachments;
    return cell;
  });
  const meta: Record<string, any> = { ...nb.metadata };
  const gan: Record<string, any> = { ...(meta.gan_course ?? {}) };
  delete gan.run;
  gan.lesson = lesson.stem;
  gan.release = { format: 1, exercises: Object.fromEntries(lesson.exercises.map((e) => [e.id, e.points])) };
  gan.locked = Object.fromEntries(lesson.cells.filter((c) => c.role !== "exercise").map((c) => [c.id, c.sha256]));
  meta.gan_course = gan;
  return { nbformat: 4, nbformat_minor: Math.max(5, nb.nbformat_minor ?? 5), metadata: meta, cells };
}

export function manifestEntry(lesson: Lesson, suite: HiddenSuite | null, repoRoot: string, releasePath: string): ManifestLesson {
  const rel = (p: string) => path.relative(repoRoot, p).split(path.sep).join("/");
  return {
    notebook: rel(lesson.notebookPath),
    notebook_sha256: lesson.notebookSha256,
    release: rel(releasePath),
    hidden_tests: suite ? rel(suite.file) : null,
    hidden_tests_sha256: suite?.sha256 ?? null,
    locked: Object.fromEntries(lesson.cells.filter((c) => c.role !== "exercise").map((c) => [c.id, c.sha256])),
    cells: lesson.cells.map((c) => ({ id: c.id, cell_type: c.cellType, role: c.role, ...(c.exerciseId ? { exercise: c.exerciseId } : {}), sha256: c.sha256 })),
    exercises: lesson.exercises.map((e) => ({
      id: e.id,
      points: e.points,
      cell_id: e.cellId,
      checks_cell_id: e.checksCellId,
      names: e.names,
      cases: (suite?.cases.get(e.id) ?? []).map((c) => ({ name: c.name, points: c.points })),
    })),
    max_score: lesson.exercises.reduce((s, e) => s + e.points, 0),
  };
}

export function listLessonNotebooks(notebooksDir: string): string[] {
  return readdirSync(notebooksDir)
    .filter((f) => f.endsWith(".ipynb") && !f.startsWith("."))
    .sort()
    .map((f) => path.join(notebooksDir, f));
}

export async function readManifest(file: string): Promise<Manifest | null> {
  try {
    const m = JSON.parse(await fs.readFile(file, "utf8")) as Manifest;
    if (m && m.format === MANIFEST_FORMAT && m.lessons && typeof m.lessons === "object") return m;
    return null;
  } catch {
    return null;
  }
}

/**
 * Builds the release. Validates everything first (exercise metadata, solution regions, visible
 * checks, hidden tests and their points); writes nothing if any lesson has a problem.
 */
export async function buildRelease(opts: ReleaseOptions): Promise<{ lessons: ReleasedLesson[]; manifestPath: string }> {
  const notebooksDir = opts.notebooksDir ?? path.join(opts.repoRoot, "notebooks");
  const testsDir = opts.testsDir ?? path.join(opts.repoRoot, "tests", "exercises");
  const outDir = opts.outDir ?? path.join(opts.repoRoot, "release");
  let files = listLessonNotebooks(notebooksDir);
  if (opts.lessons?.length) {
    const want = new Set(opts.lessons.map((l) => path.basename(l).replace(/\.ipynb$/, "")));
    const unknown = [...want].filter((s) => !files.some((f) => path.basename(f, ".ipynb") === s));
    if (unknown.length) throw new ReleaseError(unknown.map((s) => `no lesson notebook ${s}.ipynb in ${notebooksDir}`));
    files = files.filter((f) => want.has(path.basename(f, ".ipynb")));
  }
  const problems: string[] = [];
  const planned: { lesson: Lesson; release: Notebook; suite: HiddenSuite | null; releasePath: string }[] = [];
  for (const file of files) {
    const stem = path.basename(file, ".ipynb");
    let lesson: Lesson;
    let nb: Notebook;
    try {
      nb = await readNotebook(file);
      lesson = lessonFromNotebook(nb, file, await fs.readFile(file, "utf8"));
    } catch (e) {
      problems.push(`${stem}: ${(e as Error).message}`);
      continue;
    }
    const hiddenFile = findHiddenTests(testsDir, stem);
    let suite: HiddenSuite | null = null;
    if (hiddenFile) {
      try {
        suite = loadHiddenTests(hiddenFile);
      } catch (e) {
        problems.push(`${stem}: hidden tests: ${(e as Error).message}`);
      }
    }
    const lessonProblems = [...lesson.problems, ...(hiddenFile && !suite ? [] : checkHiddenAgainstLesson(lesson, suite))];
    problems.push(...lessonProblems.map((p) => `${stem}: ${p}`));
    planned.push({ lesson, release: releaseNotebook(lesson, nb), suite, releasePath: path.join(outDir, "notebooks", `${stem}.ipynb`) });
  }
  if (problems.length) throw new ReleaseError(problems);

  const manifestPath = path.join(outDir, "manifest.json");
  const previous = opts.lessons?.length ? await readManifest(manifestPath) : null;
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    note: "Instructor side: what the autograder trusts (checksums of locked cells, exercises, points). Do not hand it out; students get release/notebooks/ only.",
    lessons: { ...(previous?.lessons ?? {}) },
  };
  if (!opts.lessons?.length) await fs.rm(path.join(outDir, "notebooks"), { recursive: true, force: true });
  const out: ReleasedLesson[] = [];
  for (const p of planned) {
    await writeNotebook(p.releasePath, p.release);
    manifest.lessons[p.lesson.stem] = manifestEntry(p.lesson, p.suite, opts.repoRoot, p.releasePath);
    out.push({
      stem: p.lesson.stem,
      releasePath: p.releasePath,
      exercises: p.lesson.exercises.length,
      locked: p.lesson.cells.filter((c) => c.role !== "exercise").length,
      maxScore: manifest.lessons[p.lesson.stem].max_score,
    });
  }
  const sorted: Manifest = { ...manifest, lessons: Object.fromEntries(Object.entries(manifest.lessons).sort(([a], [b]) => a.localeCompare(b))) };
  await fs.mkdir(outDir, { recursive: true });
  await fs.writeFile(manifestPath, JSON.stringify(sorted, null, 1) + "\n", "utf8");
  return { lessons: out, manifestPath };
}
