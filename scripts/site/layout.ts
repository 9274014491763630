/**
 * The page shell shared by the index and the lesson pages: head (viewport, local CSS, a strict
 * Content-Security-Policy), site header, footer, and the lesson page's frame (facts line,
 * downloads, table of contents, previous/next navigation). Pages are flat files at the site
 * root, so every link is relative and works from file:// as well as from any static host.
 */
import { ASSET_PATHS } from "./assets";
import { escapeHtml, formatSeconds } from "./escape";
import type { Heading } from "./markdown";

export interface SiteInfo {
  /** Course name in the header and the index page (default "GAN Course"). */
  title: string;
  /** One or two sentences under the title on the index page. */
  description: string;
}

export const DEFAULT_SITE_INFO: SiteInfo = {
  title: "GAN Course",
  description:
    "Generative Adversarial Networks from first principles, in TypeScript with TensorFlow.js. " +
    "Every lesson is a notebook that was executed to build this site: the numbers, charts and samples below are real outputs.",
};

/**
 * No inline scripts, no event handlers, no remote anything: even HTML that slipped past the
 * sanitizer could not run or phone home. Inline styles are allowed (KaTeX and Plotly use them).
 */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'none'; base-uri 'none'; form-action 'none'";

export interface ShellOptions {
  site: SiteInfo;
  /** Text of <title>. */
  title: string;
  description?: string;
  /** Number of KaTeX renders on the page (the browser check compares with .katex elements). */
  math: number;
  charts: number;
  bodyClass: string;
  /** Extra header content (right side), already HTML. */
  headerExtra?: string;
  body: string;
}

export function pageShell(o: ShellOptions): string {
  const scripts = o.charts > 0 ? `<script src="${ASSET_PATHS.plotly}"></script>\n<script src="${ASSET_PATHS.js}"></script>\n` : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>${escapeHtml(o.title)}</title>
${o.description ? `<meta name="description" content="${escapeHtml(o.description)}">\n` : ""}<link rel="icon" href="${ASSET_PATHS.favicon}" type="image/svg+xml">
<link rel="stylesheet" href="${ASSET_PATHS.katexCss}">
<link rel="stylesheet" href="${ASSET_PATHS.highlightCss}">
<link rel="stylesheet" href="${ASSET_PATHS.css}">
</head>
<body class="${o.bodyClass}" data-math="${o.math}" data-charts="${o.charts}">
<a class="skip-link" href="#content">Skip to content</a>
<header class="site-header">
<div class="site-header-inner">
<a class="brand" href="index.html"><img src="${ASSET_PATHS.favicon}" width="28" height="28" alt="">${escapeHtml(o.site.title)}</a>
${o.headerExtra ?? ""}
</div>
</header>
${o.body}
<footer class="site-footer">
<div class="site-footer-inner">${escapeHtml(o.site.title)} · built from the executed lesson notebooks · works offline</div>
</footer>
${scripts}</body>
</html>
`;
}

/** Nested list of the page's headings (level 2 and 3; the lesson title itself is left out). */
export function tocList(headings: Heading[]): { html: string; math: number } {
  const items = headings.filter((h) => h.level >= 2 && h.level <= 3);
  if (items.length === 0) return { html: "", math: 0 };
  let math = 0;
  const lis = items.map((h) => {
    math += (h.html.match(/class="katex"/g) ?? []).length;
    return `<li class="toc-level-${h.level}"><a href="#${escapeHtml(h.id)}">${h.html}</a></li>`;
  });
  return { html: `<ul>${lis.join("")}</ul>`, math };
}

export interface PagerLink {
  href: string;
  /** Title as inline HTML. */
  titleHtml: string;
}

export interface LessonFrame {
  number: string;
  position: string;
  seconds?: number;
  exercises: number;
  points: number;
  sourceHref: string;
  executedHref: string;
  headings: Heading[];
  content: string;
  prev?: PagerLink;
  next?: PagerLink;
}

function pluralize(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The lesson page's body (everything between header and footer). Returns extra math count from the TOC. */
export function lessonBody(f: LessonFrame): { html: string; math: number } {
  const toc = tocList(f.headings);
  const facts = [
    `<span class="fact"><span class="fact-label">Run time</span> ${escapeHtml(formatSeconds(f.seconds))}</span>`,
    `<span class="fact"><span class="fact-label">Exercises</span> ${f.exercises ? `${f.exercises}${f.points ? ` · ${pluralize(f.points, "point")}` : ""}` : "none"}</span>`,
  ].join("");
  const downloads =
    `<span class="downloads"><a class="button" href="${escapeHtml(f.sourceHref)}" download>Download notebook</a>` +
    `<a class="button button-secondary" href="${escapeHtml(f.executedHref)}" download>With outputs</a></span>`;
  const pager =
    `<nav class="pager" aria-label="Lessons">` +
    (f.prev ? `<a class="pager-link pager-prev" href="${escapeHtml(f.prev.href)}" rel="prev"><span class="pager-dir">← Previous</span><span class="pager-title">${f.prev.titleHtml}</span></a>` : `<span></span>`) +
    (f.next ? `<a class="pager-link pager-next" href="${escapeHtml(f.next.href)}" rel="next"><span class="pager-dir">Next →</span><span class="pager-title">${f.next.titleHtml}</span></a>` : `<span></span>`) +
    `</nav>`;
  const html = `<div class="layout">
<aside class="sidebar">${toc.html ? `<nav class="toc" aria-label="On this page"><div class="toc-title">On this page</div>${toc.html}</nav>` : ""}</aside>
<main class="content" id="content">
<div class="lesson-header">
<div class="lesson-eyebrow">Lesson ${escapeHtml(f.number)} <span class="muted">· ${escapeHtml(f.position)}</span></div>
<div class="lesson-facts">${facts}${downloads}</div>
</div>
${toc.html ? `<details class="toc-mobile"><summary>On this page</summary><nav aria-label="On this page (compact)">${toc.html}</nav></details>` : ""}
<article class="notebook">
${f.content}
</article>
${pager}
</main>
</div>`;
  return { html, math: toc.math * 2 };
}
