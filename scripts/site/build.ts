/**
 * Builds the course website from the executed notebooks:
 *
 *   build/notebooks/*.ipynb  (written by the headless runner)  ->  build/site/
 *     index.html                 lesson list: title, summary, exercises, run time
 *     <stem>.html                one page per lesson (TOC, previous/next, downloads)
 *     notebooks/<stem>.ipynb     the source notebook, without outputs (from notebooks/)
 *     notebooks/<stem>.executed.ipynb   the executed notebook, as the runner wrote it
 *     images/<hash>.png          image outputs, each once
 *     assets/                    CSS, KaTeX CSS + fonts, highlight.js theme, plotly.js (one local copy)
 *
 * Everything is rendered at build time (markdown, math, syntax highlighting); the only script
 * is plotly.js plus a few lines that draw the charts. The site works from file:// and from any
 * static host. A notebook that cannot be read is skipped and reported; the rest still builds.
 *
 * CLI: tsx scripts/site/build.ts [--in build/notebooks] [--source notebooks] [--out build/site]
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { copyAssets } from "./assets";
import { formatBytes, formatSeconds } from "./escape";
import { fileImages } from "./images";
import { indexPage, type IndexEntry, type SkippedNotebook } from "./index-page";
import { DEFAULT_SITE_INFO, lessonBody, pageShell, type SiteInfo } from "./layout";
import { renderLesson, type RenderedLesson } from "./lesson";
import { markdownToText, renderMarkdownInline } from "./markdown";
import { hasOutputs, joinText, parseNotebook, stripOutputs, type Notebook } from "./notebook";
import { exerciseIdOf, stubSolutions } from "../grader/lesson";
import { DEFAULT_LIMITS, type TextLimits } from "./truncate";

export interface BuildOptions {
  /** Executed notebooks (default "build/notebooks"). */
  notebooksDir?: string;
  /** Source notebooks without outputs, offered for download (default "notebooks"). */
  sourceDir?: string;
  /** Output folder (default "build/site"); replaced on every build. */
  outDir?: string;
  site?: Partial<SiteInfo>;
  /** Per-output text limits (default 20 000 characters / 500 lines). */
  limits?: Partial<TextLimits>;
  /** Minify plotly.js once with esbuild (default true; cached in node_modules/.cache). */
  minifyPlotly?: boolean;
  /**
   * Show the instructor's solutions (default false: the public site is the student view — every
   * exercise's BEGIN/END SOLUTION region is replaced by the release stub, on the pages and in
   * both downloads).
   */
  includeSolutions?: boolean;
}

/** The student view of a notebook: exercise cells' solution regions replaced by the release stub. */
export function withoutSolutions(nb: Notebook): Notebook {
  return {
    ...nb,
    cells: nb.cells.map((cell) => {
      const id = exerciseIdOf(cell as { metadata?: Record<string, any> });
      if (!id || cell.cell_type !== "code") return cell;
      return { ...cell, source: stubSolutions(joinText(cell.source), id).source };
    }),
  };
}

export interface PageReport {
  stem: string;
  title: string;
  /** Page path relative to outDir. */
  file: string;
  seconds?: number;
  exercises: number;
  points: number;
  charts: number;
  images: number;
  /** KaTeX renders on the page. */
  math: number;
  /** Error outputs (exceptions raised while the notebook ran). */
  errorOutputs: number;
  truncatedOutputs: number;
  notes: number;
  warnings: string[];
}

export interface SiteReport {
  outDir: string;
  pages: PageReport[];
  /** Notebooks that could not be read (not on the site). */
  skipped: SkippedNotebook[];
  warnings: string[];
  totalBytes: number;
  files: number;
}

/** Marks a folder as built by this script, so a rebuild may replace it. */
const MARKER = ".gan-course-site";

function prepareOutDir(outDir: string): void {
  if (existsSync(outDir)) {
    const entries = readdirSync(outDir);
    if (entries.length > 0 && !entries.includes(MARKER)) {
      throw new Error(`refusing to replace ${outDir}: it is not empty and was not built by scripts/site/build.ts`);
    }
    rmSync(outDir, { recursive: true, force: true });
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, MARKER), "Built by scripts/site/build.ts; replaced on every build.\n");
}

function dirStats(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const s = dirStats(p);
      bytes += s.bytes;
      files += s.files;
    } else {
      bytes += statSync(p).size;
      files++;
    }
  }
  return { bytes, files };
}

function pageHref(stem: string): string {
  return `${encodeURIComponent(stem)}.html`;
}

/** Writes notebooks/<stem>.ipynb: the source notebook without outputs. */
function writeSourceNotebook(stem: string, executed: Notebook, sourceDir: string, outDir: string, warnings: string[], view: (nb: Notebook) => Notebook): string {
  const rel = `notebooks/${stem}.ipynb`;
  const dest = path.join(outDir, rel);
  const source = path.join(sourceDir, `${stem}.ipynb`);
  if (existsSync(source)) {
    try {
      const nb = view(parseNotebook(readFileSync(source, "utf8")));
      writeFileSync(dest, JSON.stringify(hasOutputs(nb) ? stripOutputs(nb) : nb, null, 1) + "\n");
      return rel;
    } catch (e) {
      warnings.push(`${stem}: source notebook ${source} unreadable (${(e as Error).message}); offering the executed notebook without outputs instead`);
    }
  }
  writeFileSync(dest, JSON.stringify(stripOutputs(executed), null, 1) + "\n");
  return rel;
}

const RESERVED = /^(assets|images|notebooks)(\/|$)|\.html$|^\.gan-course-site$/;

/** Copies images that markdown cells reference by relative path (e.g. figures/gan.png). */
function copyLocalImages(lesson: RenderedLesson, dirs: string[], outDir: string): void {
  for (const rel of lesson.page.localImages) {
    const norm = path.posix.normalize(rel.replace(/\\/g, "/"));
    if (RESERVED.test(norm)) {
      lesson.page.warnings.push(`image ${rel}: path clashes with the site's own files; not copied`);
      continue;
    }
    const from = dirs.map((d) => path.join(d, norm)).find((p) => existsSync(p) && statSync(p).isFile());
    if (!from) {
      lesson.page.warnings.push(`image ${rel} not found next to the notebook`);
      continue;
    }
    mkdirSync(path.dirname(path.join(outDir, norm)), { recursive: true });
    copyFileSync(from, path.join(outDir, norm));
  }
}

export async function buildSite(options: BuildOptions = {}): Promise<SiteReport> {
  const notebooksDir = path.resolve(options.notebooksDir ?? "build/notebooks");
  const sourceDir = path.resolve(options.sourceDir ?? "notebooks");
  const outDir = path.resolve(options.outDir ?? "build/site");
  const site: SiteInfo = { ...DEFAULT_SITE_INFO, ...options.site };
  const limits: TextLimits = { ...DEFAULT_LIMITS, ...options.limits };
  if (!existsSync(notebooksDir) || !statSync(notebooksDir).isDirectory()) {
    throw new Error(`no executed notebooks folder at ${notebooksDir} (run the notebooks first)`);
  }

  prepareOutDir(outDir);
  mkdirSync(path.join(outDir, "notebooks"), { recursive: true });
  const collator = new Intl.Collator("en", { numeric: true });
  const files = readdirSync(notebooksDir)
    .filter((f) => f.endsWith(".ipynb") && !f.startsWith("."))
    .sort(collator.compare);

  const skipped: SkippedNotebook[] = [];
  const warnings: string[] = [];
  const view = options.includeSolutions ? (nb: Notebook) => nb : withoutSolutions;
  const parsed: { stem: string; file: string; nb: Notebook }[] = [];
  for (const file of files) {
    try {
      parsed.push({ stem: file.slice(0, -".ipynb".length), file, nb: view(parseNotebook(readFileSync(path.join(notebooksDir, file), "utf8"))) });
    } catch (e) {
      skipped.push({ file, error: (e as Error).message });
    }
  }
  if (files.length === 0) warnings.push(`no notebooks in ${notebooksDir}`);

  const stems = parsed.map((p) => p.stem);
  const images = fileImages(outDir);
  const lessons: RenderedLesson[] = [];
  for (const [position, p] of parsed.entries()) {
    try {
      lessons.push(renderLesson(p.nb, { stem: p.stem, position, lessonStems: stems, images, limits }));
    } catch (e) {
      skipped.push({ file: p.file, error: `could not be rendered (${(e as Error).message})` });
    }
  }
  skipped.sort((a, b) => collator.compare(a.file, b.file));

  const pages: PageReport[] = [];
  const entries: IndexEntry[] = [];
  for (const [i, lesson] of lessons.entries()) {
    const p = parsed.find((x) => x.stem === lesson.stem)!;
    const sourceHref = writeSourceNotebook(lesson.stem, p.nb, sourceDir, outDir, warnings, view);
    const executedHref = `notebooks/${lesson.stem}.executed.ipynb`;
    writeFileSync(path.join(outDir, executedHref), JSON.stringify(p.nb, null, 1) + "\n"); // the (student-view) executed notebook
    copyLocalImages(lesson, [sourceDir, notebooksDir], outDir);

    const link = (l: RenderedLesson | undefined) =>
      l && { href: pageHref(l.stem), titleHtml: renderMarkdownInline(l.titleSource, lesson.page) };
    const body = lessonBody({
      number: lesson.number,
      position: `${i + 1} of ${lessons.length}`,
      seconds: lesson.seconds,
      exercises: lesson.exercises,
      points: lesson.points,
      sourceHref: encodeURI(sourceHref),
      executedHref: encodeURI(executedHref),
      headings: lesson.page.headings,
      content: lesson.content,
      prev: link(lessons[i - 1]),
      next: link(lessons[i + 1]),
    });
    const math = lesson.page.mathCount + body.math;
    const html = pageShell({
      site,
      title: `${lesson.title} · ${site.title}`,
      description: markdownToText(lesson.summarySource).slice(0, 300) || undefined,
      math,
      charts: lesson.stats.charts,
      bodyClass: "page-lesson",
      headerExtra: `<nav class="header-nav" aria-label="Site"><a href="index.html">All lessons</a></nav>`,
      body: body.html,
    });
    const file = `${lesson.stem}.html`;
    writeFileSync(path.join(outDir, file), html);
    entries.push({ ...lesson, href: pageHref(lesson.stem) });
    pages.push({
      stem: lesson.stem,
      title: lesson.title,
      file,
      seconds: lesson.seconds,
      exercises: lesson.exercises,
      points: lesson.points,
      charts: lesson.stats.charts,
      images: lesson.stats.images,
      math,
      errorOutputs: lesson.stats.errors,
      truncatedOutputs: lesson.stats.truncated,
      notes: lesson.stats.notes,
      warnings: lesson.page.warnings,
    });
  }

  writeFileSync(path.join(outDir, "index.html"), indexPage(site, entries, skipped));
  await copyAssets(outDir, { plotly: pages.some((p) => p.charts > 0), minifyPlotly: options.minifyPlotly });
  const { bytes, files: fileCount } = dirStats(outDir);
  return { outDir, pages, skipped, warnings, totalBytes: bytes, files: fileCount };
}

/** Human-readable build summary (the CLI prints it). */
export function formatReport(r: SiteReport): string {
  const lines = [`Site: ${r.outDir}`];
  for (const p of r.pages) {
    const facts = [
      `${p.charts} chart${p.charts === 1 ? "" : "s"}`,
      `${p.images} image${p.images === 1 ? "" : "s"}`,
      `${p.math} math`,
      `${p.exercises} exercise${p.exercises === 1 ? "" : "s"}`,
      `run ${formatSeconds(p.seconds)}`,
      ...(p.errorOutputs ? [`${p.errorOutputs} error output${p.errorOutputs === 1 ? "" : "s"}`] : []),
      ...(p.truncatedOutputs ? [`${p.truncatedOutputs} truncated`] : []),
    ];
    lines.push(`  ${p.file.padEnd(32)} ${facts.join(", ")}`);
    for (const w of p.warnings) lines.push(`    warning: ${w}`);
  }
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  for (const s of r.skipped) lines.push(`  SKIPPED ${s.file}: ${s.error}`);
  lines.push(`${r.pages.length} page${r.pages.length === 1 ? "" : "s"}, ${r.skipped.length} skipped, ${r.files} files, ${formatBytes(r.totalBytes)}`);
  return lines.join("\n");
}

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("build")
    .description("Render the executed notebooks into a static course website.")
    .option("--in <dir>", "executed notebooks", "build/notebooks")
    .option("--source <dir>", "source notebooks (offered for download)", "notebooks")
    .option("--out <dir>", "output folder (replaced)", "build/site")
    .option("--title <text>", "course title")
    .option("--no-minify", "copy plotly.js as is instead of minifying it")
    .parse(argv);
  const o = program.opts<{ in: string; source: string; out: string; title?: string; minify: boolean }>();
  const report = await buildSite({
    notebooksDir: o.in,
    sourceDir: o.source,
    outDir: o.out,
    site: o.title ? { title: o.title } : undefined,
    minifyPlotly: o.minify,
  });
  console.log(formatReport(report));
  if (report.skipped.length) {
    console.error(`error: ${report.skipped.length} notebook(s) skipped (see above); the rest of the site was built`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv).then(
    (code) => process.exit(code),
    (e) => {
      console.error(`error: ${(e as Error).message}`);
      process.exit(2);
    },
  );
}
