/**
 * Code-cell outputs to HTML, by MIME type in Jupyter's priority order (JupyterLab's renderer
 * ranks: Plotly, HTML, Markdown, LaTeX, SVG, raster images, JSON, plain text). Each renderer
 * can refuse its data (corrupt image, unreadable figure, HTML with nothing left after
 * sanitizing); the next type in the bundle is then tried, and a short note says what was
 * not shown. Nothing from a notebook reaches the page unescaped or unsanitized.
 *
 * Output format reference: https://nbformat.readthedocs.io/en/latest/format_description.html#code-cell-outputs
 */
import { ansiToHtml, applyControlChars, stripAnsi } from "./ansi";
import { escapeHtml, formatCount, jsonForScript } from "./escape";
import { checkImage, inlineImages, type ImageSink } from "./images";
import { createPageContext, renderLatex, renderMarkdown, type PageContext } from "./markdown";
import { isObject, joinText, type ErrorOutput, type MimeBundle, type Output, type StreamOutput } from "./notebook";
import { sanitizeOutputHtml, sanitizeSvg } from "./sanitize";
import { DEFAULT_LIMITS, truncateText, type TextLimits } from "./truncate";

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** Most preferred first. Types not listed are shown only through a fallback (usually text/plain). */
export const MIME_PRIORITY = [
  PLOTLY_MIME,
  "text/html",
  "text/markdown",
  "text/latex",
  "image/svg+xml",
  "image/png",
  "image/jpeg",
  "image/gif",
  "application/json",
  "text/plain",
] as const;

export interface OutputStats {
  charts: number;
  images: number;
  /** Outputs cut because they were too long. */
  truncated: number;
  /** Notes shown instead of (part of) an output. */
  notes: number;
  /** Error outputs (exceptions). */
  errors: number;
}

export interface OutputContext {
  page: PageContext;
  images: ImageSink;
  limits: TextLimits;
  stats: OutputStats;
  /** Prefix for element ids (unique per page). */
  idPrefix: string;
  nextId: number;
}

export function createOutputContext(partial: Partial<OutputContext> = {}): OutputContext {
  return {
    page: partial.page ?? createPageContext(),
    images: partial.images ?? inlineImages,
    limits: partial.limits ?? DEFAULT_LIMITS,
    stats: partial.stats ?? { charts: 0, images: 0, truncated: 0, notes: 0, errors: 0 },
    idPrefix: partial.idPrefix ?? "out",
    nextId: partial.nextId ?? 0,
  };
}

type Rendered = { ok: true; html: string } | { ok: false; reason: string; quiet?: boolean };

export function note(ctx: OutputContext, text: string, kind = "info"): string {
  ctx.stats.notes++;
  return `<div class="output-note output-note-${kind}">${escapeHtml(text)}</div>`;
}

/** Escaped <pre> text, cut with a note when over the limits. */
function textBlock(ctx: OutputContext, text: string, cls: string, ansi: "html" | "strip"): string {
  const toHtml = (s: string) => (ansi === "html" ? ansiToHtml(s) : escapeHtml(stripAnsi(s)));
  const cut = truncateText(text, ctx.limits);
  if (!cut) return `<pre class="${cls}">${toHtml(text)}</pre>`;
  ctx.stats.truncated++;
  const what = `${formatCount(cut.omittedLines)} line${cut.omittedLines === 1 ? "" : "s"} (${formatCount(cut.omittedChars)} characters)`;
  const msg = `… ${what} of output not shown here. The full output is in the executed notebook (download link at the top of the page).`;
  return (
    `<div class="truncated">` +
    `<pre class="${cls}">${toHtml(cut.head)}</pre>` +
    note(ctx, msg, "truncated") +
    (cut.tail ? `<pre class="${cls}">${toHtml(cut.tail)}</pre>` : "") +
    `</div>`
  );
}

function figureTitle(layout: unknown): string {
  if (!isObject(layout)) return "";
  const t = layout.title;
  const text = typeof t === "string" ? t : isObject(t) && typeof t.text === "string" ? t.text : "";
  return text.replace(/<[^>]*>/g, "").trim();
}

function renderPlotly(ctx: OutputContext, value: unknown): Rendered {
  let fig = value;
  if (typeof fig === "string") {
    try {
      fig = JSON.parse(fig);
    } catch {
      return { ok: false, reason: "Chart not shown: its figure is not valid JSON." };
    }
  }
  if (!isObject(fig) || !Array.isArray(fig.data)) return { ok: false, reason: "Chart not shown: its figure has no data array." };
  const figure = {
    data: fig.data,
    layout: isObject(fig.layout) ? fig.layout : {},
    config: isObject(fig.config) ? fig.config : {},
    ...(Array.isArray(fig.frames) ? { frames: fig.frames } : {}),
  };
  const id = `${ctx.idPrefix}-chart-${ctx.nextId++}`;
  const title = figureTitle(figure.layout);
  ctx.stats.charts++;
  return {
    ok: true,
    html:
      `<div class="output-plotly">` +
      `<div class="plotly-chart" id="${id}" data-figure="${id}-data" role="img" aria-label="${escapeHtml(title ? `Chart: ${title}` : "Chart")}">` +
      `<p class="chart-placeholder">Interactive chart${title ? `: ${escapeHtml(title)}` : ""} (needs JavaScript)</p></div>` +
      `<script type="application/json" id="${id}-data">${jsonForScript(figure)}</script>` +
      `</div>`,
  };
}

function imageSize(metadata: unknown, mime: string): { width?: number; height?: number } {
  const m = isObject(metadata) ? metadata[mime] : undefined;
  if (!isObject(m)) return {};
  const num = (v: unknown) => (typeof v === "number" && v > 0 && Number.isFinite(v) ? Math.round(v) : undefined);
  return { width: num(m.width), height: num(m.height) };
}

function renderImage(ctx: OutputContext, mime: string, value: unknown, metadata: unknown, alt: string): Rendered {
  const checked = checkImage(mime, joinText(value));
  if (!checked.ok) return { ok: false, reason: `Image not shown: ${checked.reason}.` };
  const img = checked.image;
  const src = ctx.images(img);
  ctx.stats.images++;
  let { width, height } = imageSize(metadata, mime);
  let cls = "output-image";
  if (width === undefined && img.width && img.height) {
    width = img.width;
    height = img.height;
    // Tiny images (a 28×28 digit) are scaled up without blurring.
    if (img.width < 160 && img.height < 160) {
      const scale = Math.max(1, Math.min(8, Math.floor(320 / Math.max(img.width, img.height))));
      width *= scale;
      height *= scale;
      if (scale > 1) cls += " pixelated";
    }
  } else if (width !== undefined && height === undefined && img.width && img.height) {
    height = Math.round((width * img.height) / img.width);
  }
  const size = `${width ? ` width="${width}"` : ""}${height ? ` height="${height}"` : ""}`;
  return { ok: true, html: `<img class="${cls}" src="${escapeHtml(src)}"${size} alt="${escapeHtml(alt)}">` };
}

function renderMime(ctx: OutputContext, mime: string, value: unknown, metadata: unknown, bundle: MimeBundle): Rendered {
  switch (mime) {
    case PLOTLY_MIME:
      return renderPlotly(ctx, value);
    case "text/html": {
      const html = joinText(value);
      const clean = sanitizeOutputHtml(html).trim();
      if (!clean) return { ok: false, reason: "HTML output not shown: nothing is left once scripts are removed (this site runs no scripts from outputs).", quiet: true };
      return { ok: true, html: `<div class="output-html">${clean}</div>` };
    }
    case "text/markdown":
      return { ok: true, html: `<div class="output-markdown markdown">${renderMarkdown(joinText(value), ctx.page, { toc: false })}</div>` };
    case "text/latex": {
      const html = renderLatex(joinText(value), ctx.page);
      return html ? { ok: true, html: `<div class="output-latex">${html}</div>` } : { ok: false, reason: "LaTeX output not shown: KaTeX could not parse it." };
    }
    case "image/svg+xml": {
      const svg = sanitizeSvg(joinText(value));
      if (!svg) return { ok: false, reason: "SVG image not shown: nothing drawable is left once unsafe content is removed." };
      ctx.stats.images++;
      return { ok: true, html: `<div class="output-svg">${svg}</div>` };
    }
    case "image/png":
    case "image/jpeg":
    case "image/gif": {
      const plain = joinText(bundle["text/plain"]).trim();
      const alt = plain && plain.length < 120 && !plain.startsWith("<") ? plain : "Output image";
      return renderImage(ctx, mime, value, metadata, alt);
    }
    case "application/json": {
      let text: string;
      try {
        text = typeof value === "string" ? value : JSON.stringify(value, null, 2);
      } catch {
        return { ok: false, reason: "JSON output not shown: it could not be serialized." };
      }
      return { ok: true, html: textBlock(ctx, text, "output-text output-json", "strip") };
    }
    case "text/plain":
      return { ok: true, html: textBlock(ctx, joinText(value), "output-text", "html") };
    default:
      return { ok: false, reason: `Output of type ${mime} not shown.` };
  }
}

/** One display_data / execute_result bundle. */
export function renderMimeBundle(ctx: OutputContext, data: MimeBundle, metadata?: unknown): string {
  if (!isObject(data)) return note(ctx, "an output without data", "warning");
  const available = Object.keys(data);
  let candidates: string[] = MIME_PRIORITY.filter((m) => available.includes(m));
  // A Plotly figure's text/html fallback loads plotly.js with a <script>: use the figure instead.
  if (available.includes(PLOTLY_MIME)) candidates = candidates.filter((m) => m !== "text/html");
  const notes: string[] = [];
  const quiet: string[] = [];
  for (const mime of candidates) {
    const r = renderMime(ctx, mime, data[mime], metadata, data);
    if (r.ok) return notes.join("") + r.html;
    if (r.quiet) quiet.push(r.reason);
    else notes.push(note(ctx, r.reason, "warning"));
  }
  if (notes.length) return notes.join("");
  if (quiet.length) return quiet.map((q) => note(ctx, q)).join("");
  const unknown = available.filter((m) => !(MIME_PRIORITY as readonly string[]).includes(m));
  if (!unknown.length) return "";
  return note(ctx, `Output of type ${unknown.join(", ")} not shown.`);
}

function renderStream(ctx: OutputContext, name: string, text: string): string {
  const stream = name === "stderr" ? "stderr" : "stdout";
  return `<div class="output-stream output-${stream}">${textBlock(ctx, applyControlChars(text), "output-text", "html")}</div>`;
}

function renderError(ctx: OutputContext, out: ErrorOutput): string {
  ctx.stats.errors++;
  const ename = stripAnsi(String(out.ename ?? "Error"));
  const evalue = stripAnsi(String(out.evalue ?? ""));
  const traceback = Array.isArray(out.traceback) ? out.traceback.map((l) => String(l)).join("\n") : "";
  const tb = stripAnsi(traceback).replace(/^(\s*\n)+/, "").trimEnd();
  // Kernels usually repeat "ename: evalue" as the traceback's first line: shown once, in the title.
  const lines = tb.split("\n");
  if (lines[0]?.trim() === `${ename}: ${evalue.split("\n")[0]}`.trim()) lines.shift();
  const rest = lines.join("\n").replace(/^(\s*\n)+/, "").trimEnd();
  const body = rest ? textBlock(ctx, rest, "output-text traceback", "strip") : "";
  return (
    `<div class="output-error" role="alert">` +
    `<div class="error-title"><span class="error-name">${escapeHtml(ename)}</span>${evalue ? `: <span class="error-value">${escapeHtml(evalue)}</span>` : ""}</div>` +
    body +
    `</div>`
  );
}

/** All outputs of a code cell. Consecutive stream outputs of the same stream are merged. */
export function renderOutputs(ctx: OutputContext, outputs: Output[] | undefined): string {
  const parts: string[] = [];
  const list = Array.isArray(outputs) ? outputs : [];
  for (let i = 0; i < list.length; i++) {
    const out = list[i];
    if (!isObject(out)) continue;
    let html: string;
    switch (out.output_type) {
      case "stream": {
        const name = String((out as StreamOutput).name);
        let text = joinText((out as StreamOutput).text);
        while (i + 1 < list.length && list[i + 1]?.output_type === "stream" && String((list[i + 1] as StreamOutput).name) === name) {
          text += joinText((list[++i] as StreamOutput).text);
        }
        html = text ? renderStream(ctx, name, text) : "";
        break;
      }
      case "display_data":
      case "execute_result":
      case "update_display_data": {
        const o = out as { data: MimeBundle; metadata?: unknown };
        const inner = renderMimeBundle(ctx, o.data, o.metadata);
        html = inner ? `<div class="output-display">${inner}</div>` : "";
        break;
      }
      case "error":
        html = renderError(ctx, out as ErrorOutput);
        break;
      default:
        html = note(ctx, `Output of kind ${String(out.output_type)} not shown.`);
    }
    if (html) parts.push(html);
  }
  return parts.join("\n");
}
