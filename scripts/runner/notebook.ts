/**
 * Reading, validating and writing .ipynb files (nbformat 4, https://nbformat.readthedocs.io/).
 *
 * Validation is deliberately small and strict about what the runner relies on, so malformed input
 * fails before any kernel starts, with a one-line message naming the file and the problem.
 * Writing mimics Jupyter's own serialiser (nbformat.write): keys sorted, 1-space indent, non-ASCII
 * kept, multi-line strings (sources, stream text, text/* data) split into line arrays, JSON mime
 * bundles kept as objects, trailing newline, so the executed copies diff cleanly against files
 * JupyterLab saves.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { isJsonMime } from "./outputs";

export type CellType = "code" | "markdown" | "raw";

export interface NotebookCell {
  cell_type: CellType;
  id?: string;
  source: string | string[];
  metadata: Record<string, any>;
  outputs?: unknown[];
  execution_count?: number | null;
  attachments?: unknown;
}

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, any>;
  cells: NotebookCell[];
}

/** A notebook that cannot be run as given; `message` is one line: "<file>: <problem>". */
export class NotebookFormatError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = "NotebookFormatError";
  }
}

const CELL_TYPES = new Set<string>(["code", "markdown", "raw"]);

/** Checks the parsed JSON is a runnable nbformat-4 notebook; throws NotebookFormatError otherwise. */
export function validateNotebook(nb: unknown, file: string): Notebook {
  const fail = (problem: string): never => {
    throw new NotebookFormatError(file, problem);
  };
  if (!nb || typeof nb !== "object" || Array.isArray(nb)) fail("not a notebook (the top level is not a JSON object)");
  const o = nb as Record<string, unknown>;
  if (typeof o.nbformat !== "number") fail("not a notebook (no numeric \"nbformat\" field)");
  if ((o.nbformat as number) < 4) {
    fail(`nbformat ${o.nbformat} is not supported; need nbformat 4 (upgrade it with \`jupyter nbconvert --to notebook\`)`);
  }
  if ((o.nbformat as number) > 4) fail(`nbformat ${o.nbformat} is newer than this runner supports (4)`);
  if (!Array.isArray(o.cells)) fail("missing \"cells\" array");
  if (o.metadata !== undefined && (typeof o.metadata !== "object" || o.metadata === null || Array.isArray(o.metadata))) {
    fail("\"metadata\" is not an object");
  }
  (o.cells as unknown[]).forEach((c, i) => {
    const where = `cell ${i + 1}`;
    if (!c || typeof c !== "object" || Array.isArray(c)) fail(`${where} is not an object`);
    const cell = c as Record<string, unknown>;
    if (typeof cell.cell_type !== "string" || !CELL_TYPES.has(cell.cell_type)) {
      fail(`${where} has unknown cell_type ${JSON.stringify(cell.cell_type ?? null)} (expected code, markdown or raw)`);
    }
    const src = cell.source;
    const okSource = typeof src === "string" || (Array.isArray(src) && src.every((s) => typeof s === "string"));
    if (!okSource) fail(`${where} source must be a string or an array of strings`);
    if (cell.metadata !== undefined && (typeof cell.metadata !== "object" || cell.metadata === null || Array.isArray(cell.metadata))) {
      fail(`${where} metadata is not an object`);
    }
  });
  const out = o as unknown as Notebook;
  out.metadata ??= {};
  out.nbformat_minor ??= 0;
  for (const c of out.cells) c.metadata ??= {};
  return out;
}

/** Reads and validates a notebook file; throws NotebookFormatError with a one-line message. */
export async function readNotebook(file: string): Promise<Notebook> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (e) {
    throw new NotebookFormatError(file, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new NotebookFormatError(file, `not valid JSON (${(e as Error).message.split("\n")[0]})`);
  }
  return validateNotebook(json, file);
}

/** The cell's source as one string. */
export function cellSource(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/** "a\nb\n" -> ["a\n", "b\n"] (Python's str.splitlines(keepends=True) for \n text). */
export function splitLines(s: string): string[] {
  const lines = s.match(/[^\n]*\n|[^\n]+$/g);
  return lines ?? [];
}

function splitMimeBundle(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [mime, value] of Object.entries(data)) {
    const textual = mime.startsWith("text/") || mime === "image/svg+xml" || mime === "application/javascript";
    out[mime] = textual && typeof value === "string" && !isJsonMime(mime) ? splitLines(value) : value;
  }
  return out;
}

/** A deep copy with multi-line strings split into line arrays, as nbformat.write stores them. */
function toDiskForm(nb: Notebook): Notebook {
  const copy = JSON.parse(JSON.stringify(nb)) as Notebook;
  for (const cell of copy.cells) {
    if (typeof cell.source === "string") cell.source = splitLines(cell.source);
    if (cell.cell_type !== "code") continue;
    for (const o of (cell.outputs ?? []) as Record<string, any>[]) {
      if (o.output_type === "stream" && typeof o.text === "string") o.text = splitLines(o.text);
      if ((o.output_type === "display_data" || o.output_type === "execute_result") && o.data) {
        o.data = splitMimeBundle(o.data);
      }
    }
  }
  return copy;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** The notebook as Jupyter would write it (sorted keys, indent 1, trailing newline). */
export function serializeNotebook(nb: Notebook): string {
  return JSON.stringify(sortKeys(toDiskForm(nb)), null, 1) + "\n";
}

/** Writes atomically (temp file + rename), creating the directory. */
export async function writeNotebook(file: string, nb: Notebook): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, serializeNotebook(nb), "utf8");
  await fs.rename(tmp, file);
}
