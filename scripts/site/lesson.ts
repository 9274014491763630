/**
 * One executed notebook to the content of its lesson page: markdown cells, highlighted code
 * cells with their outputs, exercise and check cells marked as such. Also gathers what the
 * index needs: title (first markdown heading), summary, run time, exercises.
 *
 * Cell tags understood (as in Jupyter Book): remove-cell, remove-input, remove-output,
 * hide-input, hide-output.
 */
import { highlightCode, languageName } from "./code";
import { escapeHtml } from "./escape";
import type { ImageSink } from "./images";
import { createPageContext, outlineOf, renderMarkdown, shortSummary, type PageContext } from "./markdown";
import {
  cellTags,
  exerciseOf,
  joinText,
  notebookLanguage,
  runSeconds,
  type Cell,
  type Notebook,
} from "./notebook";
import { createOutputContext, renderOutputs, type OutputStats } from "./outputs";
import type { TextLimits } from "./truncate";

export interface LessonInfo {
  stem: string;
  /** "01" from "01-intro", else the position in the course. */
  number: string;
  /** Plain-text title (first markdown heading, else from the file name). */
  title: string;
  /** Markdown source of the title (may contain $math$). */
  titleSource: string;
  /** Markdown source of the one-line summary ("" if none). */
  summarySource: string;
  seconds?: number;
  exercises: number;
  points: number;
}

export interface RenderedLesson extends LessonInfo {
  page: PageContext;
  content: string;
  stats: OutputStats;
}

function titleFromStem(stem: string): string {
  const words = stem.replace(/^\d+[-_ ]*/, "").replace(/[-_]+/g, " ").trim();
  return words ? words[0].toUpperCase() + words.slice(1) : stem;
}

/** Title, summary, run time and exercises of a notebook (no rendering). */
export function lessonInfo(nb: Notebook, stem: string, position: number): LessonInfo {
  const markdown = nb.cells.filter((c) => c.cell_type === "markdown").map((c) => joinText(c.source));
  const outline = outlineOf(markdown);
  const metaSummary = nb.metadata.gan_course?.summary;
  const summarySource =
    typeof metaSummary === "string" && metaSummary.trim() ? metaSummary.trim() : outline.firstParagraph ? shortSummary(outline.firstParagraph) : "";
  const exercises = nb.cells.map(exerciseOf).filter((e) => e !== undefined);
  const points = exercises.reduce((sum, e) => sum + (typeof e.points === "number" && e.points > 0 ? e.points : 0), 0);
  const prefix = /^(\d+)/.exec(stem)?.[1];
  return {
    stem,
    number: prefix ?? String(position + 1).padStart(2, "0"),
    title: outline.heading?.text || titleFromStem(stem),
    titleSource: outline.heading?.source || escapeMarkdown(titleFromStem(stem)),
    summarySource,
    seconds: runSeconds(nb),
    exercises: exercises.length,
    points,
  };
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>$~-]/g, (c) => `\\${c}`);
}

function cellId(cell: Cell, index: number): string {
  const id = typeof cell.id === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(cell.id) ? cell.id : String(index);
  return `cell-${id}`;
}

function renderCodeCell(cell: Cell, index: number, language: string, out: ReturnType<typeof createOutputContext>): string {
  const tags = cellTags(cell);
  if (tags.includes("remove-cell")) return "";
  const source = joinText(cell.source).replace(/\s+$/, "");
  const outputs = tags.includes("remove-output") ? "" : renderOutputs(out, cell.outputs);
  const showInput = !tags.includes("remove-input") && source.length > 0;
  if (!showInput && !outputs) return "";

  const exercise = exerciseOf(cell);
  const checks = cell.metadata?.gan_course?.checks;
  let badge = "";
  let kind = "";
  if (exercise) {
    kind = " exercise-cell";
    const pts = typeof exercise.points === "number" ? ` · ${exercise.points} point${exercise.points === 1 ? "" : "s"}` : "";
    badge = `<div class="cell-badge badge-exercise"><span class="badge-label">Exercise</span> <code>${escapeHtml(String(exercise.id ?? ""))}</code>${pts}</div>`;
  } else if (typeof checks === "string") {
    kind = " checks-cell";
    badge = `<div class="cell-badge badge-checks"><span class="badge-label">Checks</span> for <code>${escapeHtml(checks)}</code></div>`;
  }

  const lang = languageName(language);
  let input = showInput ? `<pre class="cell-input"><code class="hljs language-${lang}">${highlightCode(source, lang)}</code></pre>` : "";
  if (input && tags.includes("hide-input")) input = `<details class="hidden-input"><summary>Show code</summary>${input}</details>`;
  let outputsHtml = outputs ? `<div class="cell-outputs">${outputs}</div>` : "";
  if (outputsHtml && tags.includes("hide-output")) outputsHtml = `<details class="hidden-output"><summary>Show output</summary>${outputsHtml}</details>`;
  return `<div class="cell code-cell${kind}" id="${cellId(cell, index)}">${badge}${input}${outputsHtml}</div>`;
}

export interface RenderLessonOptions {
  stem: string;
  position: number;
  lessonStems: string[];
  images: ImageSink;
  limits: TextLimits;
}

/** Renders every cell of an executed notebook. */
export function renderLesson(nb: Notebook, o: RenderLessonOptions): RenderedLesson {
  const info = lessonInfo(nb, o.stem, o.position);
  const page = createPageContext(o.lessonStems);
  const out = createOutputContext({ page, images: o.images, limits: o.limits, idPrefix: "out" });
  const language = notebookLanguage(nb);
  const parts: string[] = [];
  nb.cells.forEach((cell, index) => {
    if (cell.cell_type === "markdown") {
      if (cellTags(cell).includes("remove-cell")) return;
      const html = renderMarkdown(joinText(cell.source), page, { attachments: cell.attachments });
      if (html.trim()) parts.push(`<div class="cell markdown-cell markdown" id="${cellId(cell, index)}">${html}</div>`);
    } else if (cell.cell_type === "code") {
      const html = renderCodeCell(cell, index, language, out);
      if (html) parts.push(html);
    }
    // Raw cells are not shown (nbconvert does the same for non-HTML raw cells).
  });
  for (const latex of page.mathErrors) page.warnings.push(`KaTeX could not render: ${latex.slice(0, 120)}`);
  return { ...info, page, content: parts.join("\n"), stats: out.stats };
}
