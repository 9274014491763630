/**
 * Plotly figures in notebooks.
 *
 * A figure is sent as a bundle of three MIME types:
 * - application/vnd.plotly.v1+json: the figure itself, for front ends with a Plotly renderer and
 *   for the course website (which draws it with one local copy of plotly.js);
 * - text/html: a div and a script that draws it with plotly.js-dist, so charts are interactive in
 *   JupyterLab with no extension installed. The library (minified once and cached) is inlined into
 *   the first figure of a kernel session only; later figures wait for it;
 * - text/plain: a one-line description.
 * Headless runs (the course runner sets GAN_COURSE_PLOTLY_INLINE=0) do not inline the library:
 * JupyterLab runs no scripts from an output it did not produce itself (an untrusted notebook), and
 * the course website draws the JSON with its own copy, so 5 MB per notebook would buy nothing.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MimeBundle, inKernel, show } from "./display";

export interface Figure {
  data: Record<string, unknown>[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

let plotlyInlined = false;
let figureCounter = 0;

/** plotly.js-dist ships 10 MB unminified; minify it once with esbuild (when installed) and cache it. */
function plotlySource(): string {
  const file = require.resolve("plotly.js-dist/plotly.js");
  const version = (require("plotly.js-dist/package.json") as { version: string }).version;
  const cache = path.join(os.tmpdir(), `gan-course-plotly-${version}.min.js`);
  if (fs.existsSync(cache)) return fs.readFileSync(cache, "utf8");
  const source = fs.readFileSync(file, "utf8");
  try {
    const minified = (require("esbuild") as { transformSync(s: string, o: object): { code: string } }).transformSync(source, { minify: true }).code;
    fs.writeFileSync(cache, minified);
    return minified;
  } catch {
    return source; // no esbuild: inline the full library
  }
}

/** Whether this kernel should inline plotly.js into its first figure. */
function inlineLibrary(): boolean {
  return process.env.GAN_COURSE_PLOTLY_INLINE !== "0";
}

const DEFAULT_LAYOUT = { margin: { l: 50, r: 20, t: 40, b: 45 }, height: 380, template: undefined };

/** Merge the course's default layout into a figure (title, size, margins). */
export function withDefaults(fig: Figure): Figure {
  return { data: fig.data, layout: { ...DEFAULT_LAYOUT, ...(fig.layout ?? {}) }, config: { responsive: true, displaylogo: false, ...(fig.config ?? {}) } };
}

/** The HTML fallback: a div plus a script that draws the figure once plotly.js is on the page. */
function figureHtml(fig: Figure, includeLibrary: boolean): string {
  const id = `gan-course-plot-${process.pid}-${++figureCounter}`;
  const json = JSON.stringify(fig).replace(/</g, "\\u003c");
  const lib = includeLibrary ? `<script type="text/javascript">${plotlySource()}</script>` : "";
  return `${lib}<div id="${id}" style="width:100%"></div><script type="text/javascript">
(function draw(tries){ var el=document.getElementById(${JSON.stringify(id)});
 if (window.Plotly && el) { var f=${json}; window.Plotly.newPlot(el, f.data, f.layout, f.config); }
 else if (tries < 100) { setTimeout(function(){ draw(tries+1); }, 100); } })(0);
</script>`;
}

function describe(fig: Figure): string {
  const title = (fig.layout?.title as { text?: string } | string | undefined) ?? "";
  const text = typeof title === "string" ? title : title.text ?? "";
  return `<Plotly figure${text ? `: ${text}` : ""}, ${fig.data.length} trace(s)>`;
}

/** The MIME bundle of a figure. */
export function plotlyBundle(fig: Figure, options: { includeLibrary?: boolean } = {}): MimeBundle {
  const full = withDefaults(fig);
  return {
    "application/vnd.plotly.v1+json": full,
    "text/html": figureHtml(full, options.includeLibrary ?? false),
    "text/plain": describe(full),
  };
}

/** Display a figure in the notebook (interactive). */
export function showFigure(fig: Figure): void {
  const include = inKernel() && inlineLibrary() && !plotlyInlined;
  const bundle = plotlyBundle(fig, { includeLibrary: include });
  if (include) plotlyInlined = true;
  show(bundle);
}
