/**
 * nbformat 4 notebooks as the site reads them: types, parsing with clear errors, and the
 * small helpers every renderer needs (multiline strings, gan_course metadata).
 *
 * Format reference: https://nbformat.readthedocs.io/en/latest/format_description.html
 * Executed notebooks come from the headless runner (build/notebooks/*.ipynb); the course's
 * own metadata lives under `metadata.gan_course` (see notes/CONVENTIONS.md).
 */

/** nbformat stores long strings either as one string or as a list of lines. */
export type MultilineString = string | string[];

export interface MimeBundle {
  [mime: string]: unknown;
}

export interface StreamOutput {
  output_type: "stream";
  name: "stdout" | "stderr" | string;
  text: MultilineString;
}

export interface DisplayOutput {
  output_type: "display_data" | "execute_result" | "update_display_data";
  data: MimeBundle;
  metadata?: Record<string, unknown>;
  execution_count?: number | null;
}

export interface ErrorOutput {
  output_type: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}

export type Output = StreamOutput | DisplayOutput | ErrorOutput | { output_type: string; [k: string]: unknown };

export interface ExerciseMeta {
  id: string;
  points?: number;
}

export interface GanCourseCellMeta {
  exercise?: ExerciseMeta;
  checks?: string;
}

export interface Cell {
  cell_type: "markdown" | "code" | "raw" | string;
  id?: string;
  source: MultilineString;
  metadata?: { gan_course?: GanCourseCellMeta; tags?: string[]; [k: string]: unknown };
  outputs?: Output[];
  execution_count?: number | null;
  attachments?: Record<string, MimeBundle>;
}

export interface GanCourseNotebookMeta {
  summary?: string;
  /** Written by the headless runner. */
  run?: { seconds?: number; [k: string]: unknown };
  [k: string]: unknown;
}

export interface Notebook {
  nbformat: number;
  nbformat_minor?: number;
  metadata: {
    kernelspec?: { name?: string; display_name?: string; language?: string };
    language_info?: { name?: string };
    gan_course?: GanCourseNotebookMeta;
    [k: string]: unknown;
  };
  cells: Cell[];
}

/** Joins an nbformat multiline string; anything else becomes "". */
export function joinText(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map((v) => (typeof v === "string" ? v : String(v))).join("");
  return "";
}

/**
 * Parses notebook text. Throws an Error with a readable message when the text is not JSON or is
 * not an nbformat 4 notebook (the site builder reports it and skips the lesson).
 */
export function parseNotebook(text: string): Notebook {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`not valid JSON (${(e as Error).message})`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new Error("not a notebook: the top level is not a JSON object");
  }
  const nb = raw as Partial<Notebook>;
  if (nb.nbformat !== 4) throw new Error(`unsupported nbformat ${JSON.stringify(nb.nbformat)} (expected 4)`);
  if (!Array.isArray(nb.cells)) throw new Error("not a notebook: no cells array");
  const cells = nb.cells.filter((c): c is Cell => typeof c === "object" && c !== null && typeof c.cell_type === "string");
  return { ...nb, nbformat: 4, metadata: isObject(nb.metadata) ? nb.metadata : {}, cells } as Notebook;
}

export function isObject(v: unknown): v is Record<string, any> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The lesson's code language (for highlighting); tslab notebooks are TypeScript. */
export function notebookLanguage(nb: Notebook): string {
  return nb.metadata.language_info?.name ?? nb.metadata.kernelspec?.language ?? "typescript";
}

export function exerciseOf(cell: Cell): ExerciseMeta | undefined {
  const ex = cell.metadata?.gan_course?.exercise;
  return cell.cell_type === "code" && isObject(ex) ? (ex as ExerciseMeta) : undefined;
}

export function runSeconds(nb: Notebook): number | undefined {
  const s = nb.metadata.gan_course?.run?.seconds;
  return typeof s === "number" && Number.isFinite(s) && s >= 0 ? s : undefined;
}

export function cellTags(cell: Cell): string[] {
  const tags = cell.metadata?.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === "string") : [];
}

/** A copy without outputs, as notebooks are committed (execution_count null, outputs []). */
export function stripOutputs(nb: Notebook): Notebook {
  const gc = nb.metadata.gan_course;
  const metadata = { ...nb.metadata };
  if (gc && "run" in gc) {
    const { run: _run, ...rest } = gc;
    if (Object.keys(rest).length) metadata.gan_course = rest;
    else delete metadata.gan_course;
  }
  return {
    ...nb,
    metadata,
    cells: nb.cells.map((c) => (c.cell_type === "code" ? { ...c, outputs: [], execution_count: null } : c)),
  };
}

/** True when some code cell has outputs or an execution count. */
export function hasOutputs(nb: Notebook): boolean {
  return nb.cells.some(
    (c) => c.cell_type === "code" && ((c.outputs?.length ?? 0) > 0 || (c.execution_count ?? null) !== null),
  );
}
