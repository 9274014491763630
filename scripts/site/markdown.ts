/**
 * Markdown cells (and text/markdown outputs) to HTML at build time: markdown-it for CommonMark,
 * @vscode/markdown-it-katex for $...$ and $$...$$ (rendered by KaTeX, so pages need only
 * KaTeX's CSS and fonts), highlight.js for fenced code. Headings get stable ids for the table
 * of contents; links to sibling notebooks (02-x.ipynb) point at their pages (02-x.html);
 * cell attachments (attachment:name.png) become data: URIs.
 *
 * Raw HTML is allowed in markdown and sanitized afterwards. KaTeX's output is trusted (it is
 * generated, trust: false) and is kept out of the sanitizer with placeholders.
 */
import { randomBytes } from "node:crypto";
import katex from "katex";
import MarkdownIt from "markdown-it";

/** markdown-it 15 ships its own types; it exports the class as a value, so name the instance and token types. */
type Md = InstanceType<typeof MarkdownIt>;
type Token = ReturnType<Md["parse"]>[number];
import markdownItKatex from "@vscode/markdown-it-katex";

import { highlightCode, languageName } from "./code";
import { escapeHtml } from "./escape";
import { isObject, joinText, type MimeBundle } from "./notebook";
import { sanitizeMarkdownHtml } from "./sanitize";

export interface Heading {
  level: number;
  id: string;
  /** Plain text (for <title> and the like). */
  text: string;
  /** Rendered inline HTML (math rendered, links removed) for the table of contents. */
  html: string;
}

/** Per-page state shared by all the cells of one lesson page. */
export interface PageContext {
  /** Heading ids used so far on the page (ids must be unique). */
  slugs: Set<string>;
  headings: Heading[];
  /** KaTeX elements placed into this page's HTML. */
  mathCount: number;
  /** LaTeX that KaTeX could not parse. */
  mathErrors: string[];
  /** Relative image paths found in markdown (the builder copies them next to the page). */
  localImages: Set<string>;
  /** Stems of the site's lessons, to rewrite links to .ipynb files. */
  lessonStems: Set<string>;
  warnings: string[];
}

export function createPageContext(lessonStems: Iterable<string> = []): PageContext {
  return {
    slugs: new Set(),
    headings: [],
    mathCount: 0,
    mathErrors: [],
    localImages: new Set(),
    lessonStems: new Set(lessonStems),
    warnings: [],
  };
}

interface RenderEnv {
  [key: string | symbol]: unknown; // markdown-it's Env is an open record
  ctx?: PageContext;
  /** Rendered KaTeX HTML, referenced from the output by placeholders. */
  math: string[];
  attachments?: Record<string, MimeBundle>;
  collectHeadings: boolean;
  /** Heading inline tokens waiting for their TOC HTML. */
  pendingHeadings: { level: number; id: string; text: string; children: Token[] }[];
}

const NONCE = randomBytes(8).toString("hex");
const PLACEHOLDER_RE = new RegExp(`GCMATH${NONCE}X(\\d+)X`, "g");

export function slugify(text: string): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .trim()
    .replace(/[\s_]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  return slug || "section";
}

function uniqueSlug(text: string, used: Set<string>): string {
  const base = slugify(text);
  let slug = base;
  for (let i = 2; used.has(slug); i++) slug = `${base}-${i}`;
  used.add(slug);
  return slug;
}

/** Plain text of inline tokens: text, code and the LaTeX source of math. */
export function inlineText(children: Token[] | null): string {
  return (children ?? [])
    .map((t) => {
      if (t.type === "text" || t.type === "code_inline" || t.type === "math_inline") return t.content;
      if (t.type === "softbreak" || t.type === "hardbreak") return " ";
      if (t.type === "image") return inlineText(t.children);
      return "";
    })
    .join("")
    .replace(/\s+/g, " ")
    .trim();
}

function attachmentUri(bundle: unknown): string | undefined {
  if (!isObject(bundle)) return undefined;
  for (const mime of ["image/png", "image/jpeg", "image/gif", "image/webp"]) {
    const data = joinText(bundle[mime]).replace(/\s+/g, "");
    if (data) return `data:${mime};base64,${data}`;
  }
  const svg = joinText(bundle["image/svg+xml"]);
  if (svg) return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
  return undefined;
}

/** A relative path inside the notebooks folder (no scheme, no "/", no ".." segments). */
function isLocalPath(src: string): boolean {
  return !!src && !/^[a-z][a-z0-9+.-]*:/i.test(src) && !src.startsWith("/") && !src.startsWith("#") && !src.split(/[\\/]/).includes("..");
}

function createMarkdown(): Md {
  const md: Md = new MarkdownIt({
    html: true,
    linkify: true,
    highlight: (code, lang) => highlightCode(code, languageName(lang || "plaintext")),
  });
  // The plugin's typings name the older @types/markdown-it; at run time it takes this instance.
  const katexOptions = { katex, throwOnError: false, enableFencedBlocks: true };
  md.use(markdownItKatex as unknown as (md: Md, options: typeof katexOptions) => void, katexOptions);

  // KaTeX output goes through placeholders so the sanitizer never sees (or mangles) it.
  for (const rule of ["math_inline", "math_inline_block", "math_block", "fence"] as const) {
    const render = md.renderer.rules[rule]!;
    md.renderer.rules[rule] = (tokens, idx, options, renderEnv, self) => {
      const env = renderEnv as unknown as RenderEnv;
      const html = render(tokens, idx, options, renderEnv, self);
      if (rule === "fence" && tokens[idx].info.trim().toLowerCase() !== "math") return html;
      if (html.includes("katex-error")) env.ctx?.mathErrors.push(tokens[idx].content.trim());
      env.math.push(html);
      return `GCMATH${NONCE}X${env.math.length - 1}X`;
    };
  }

  // Heading ids, sibling-notebook links, attachments, local images.
  md.core.ruler.push("gan_course_site", (state) => {
    const env = state.env as unknown as RenderEnv;
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const tok = tokens[i];
      if (tok.type === "heading_open" && env.ctx) {
        const inline = tokens[i + 1];
        const text = inlineText(inline.children);
        const id = uniqueSlug(text, env.ctx.slugs);
        tok.attrSet("id", id);
        if (env.collectHeadings) {
          env.pendingHeadings.push({ level: Number(tok.tag.slice(1)), id, text, children: inline.children ?? [] });
        }
      }
      if (tok.type !== "inline") continue;
      for (const child of tok.children ?? []) {
        if (child.type === "link_open") {
          const href = String(child.attrGet("href") ?? "");
          const m = /^(?:\.\/)?([^/?#]+)\.ipynb(#.*)?$/.exec(href);
          if (m && env.ctx?.lessonStems.has(decodeURIComponent(m[1]))) child.attrSet("href", `${m[1]}.html${m[2] ?? ""}`);
          else if (m) env.ctx?.warnings.push(`link to ${href}: there is no such lesson on the site (the link will be broken)`);
        } else if (child.type === "image") {
          const src = String(child.attrGet("src") ?? "");
          if (src.startsWith("attachment:")) {
            const name = decodeURIComponent(src.slice("attachment:".length));
            const uri = attachmentUri(env.attachments?.[name]);
            if (uri) child.attrSet("src", uri);
            else env.ctx?.warnings.push(`markdown image attachment "${name}" not found in the cell`);
          } else if (isLocalPath(src)) {
            env.ctx?.localImages.add(decodeURIComponent(src.split(/[?#]/)[0]));
          } else if (/^(https?:)?\/\//i.test(src)) {
            env.ctx?.warnings.push(`image ${src} not shown: the site loads nothing from the internet (put the file next to the notebook)`);
          }
        }
      }
    }
  });

  md.renderer.rules.heading_close = (tokens, idx) => {
    const open = tokens[idx - 2];
    const id = open?.type === "heading_open" ? open.attrGet("id") : null;
    const anchor = id ? `<a class="heading-anchor" href="#${escapeHtml(String(id))}" title="Link to this section">#</a>` : "";
    return `${anchor}</${tokens[idx].tag}>\n`;
  };
  md.renderer.rules.table_open = () => '<div class="table-wrap"><table>\n';
  md.renderer.rules.table_close = () => "</table></div>\n";
  return md;
}

const md = createMarkdown();

function newEnv(ctx: PageContext | undefined, collectHeadings: boolean, attachments?: Record<string, MimeBundle>): RenderEnv {
  return { ctx, math: [], attachments, collectHeadings, pendingHeadings: [] };
}

/** Sanitizes, then puts the KaTeX HTML back in place of its placeholders. */
function finish(html: string, env: RenderEnv): string {
  return sanitizeMarkdownHtml(html).replace(PLACEHOLDER_RE, (_, i: string) => {
    if (env.ctx) env.ctx.mathCount++;
    return env.math[Number(i)] ?? "";
  });
}

function flushHeadings(env: RenderEnv): void {
  for (const h of env.pendingHeadings) {
    const html = md.renderer.renderInline(h.children, md.options, env);
    // TOC entries are links themselves: drop nested links. Math is counted when the TOC is placed.
    const tocHtml = sanitizeMarkdownHtml(html).replace(/<\/?a\b[^>]*>/g, "");
    env.ctx?.headings.push({ level: h.level, id: h.id, text: h.text, html: restoreUncounted(tocHtml, env) });
  }
  env.pendingHeadings = [];
}

/** Placeholders restored without counting (for HTML stored now and placed on a page later). */
function restoreUncounted(html: string, env: RenderEnv): string {
  return html.replace(PLACEHOLDER_RE, (_, i: string) => env.math[Number(i)] ?? "");
}

export interface MarkdownOptions {
  attachments?: Record<string, MimeBundle>;
  /** Add headings to the page's table of contents (false for text/markdown outputs). */
  toc?: boolean;
}

/** A markdown cell (or text/markdown output) as sanitized HTML with rendered math. */
export function renderMarkdown(src: string, ctx?: PageContext, options: MarkdownOptions = {}): string {
  const env = newEnv(ctx, options.toc ?? true, options.attachments);
  const html = md.render(src, env);
  flushHeadings(env);
  return finish(html, env);
}

/** One line of inline markdown (a summary, a title) as sanitized HTML with rendered math. */
export function renderMarkdownInline(src: string, ctx?: PageContext): string {
  const env = newEnv(ctx, false);
  return finish(md.renderInline(src, env), env);
}

/** Renders LaTeX source (a text/latex output) in display mode; null if KaTeX cannot parse it. */
export function renderLatex(latex: string, ctx?: PageContext): string | null {
  const src = latex.trim().replace(/^\$\$([\s\S]*)\$\$$/, "$1").replace(/^\$([\s\S]*)\$$/, "$1").replace(/^\\\[([\s\S]*)\\\]$/, "$1");
  try {
    const html = katex.renderToString(src, { displayMode: true, throwOnError: true });
    if (ctx) ctx.mathCount++;
    return html;
  } catch (e) {
    ctx?.mathErrors.push(src.trim());
    return null;
  }
}

export interface MarkdownOutline {
  /** The first heading, if any. */
  heading?: { level: number; text: string; source: string };
  /** Markdown source of the first paragraph after the first heading (or the first paragraph). */
  firstParagraph?: string;
}

/** The first heading and the first paragraph after it, from markdown sources in order. */
export function outlineOf(sources: string[]): MarkdownOutline {
  const outline: MarkdownOutline = {};
  for (const src of sources) {
    const tokens = md.parse(src, newEnv(undefined, false));
    for (let i = 0; i < tokens.length; i++) {
      const tok = tokens[i];
      if (tok.type === "heading_open" && !outline.heading) {
        const inline = tokens[i + 1];
        outline.heading = { level: Number(tok.tag.slice(1)), text: inlineText(inline.children), source: inline.content };
        outline.firstParagraph = undefined;
      } else if (tok.type === "paragraph_open" && tok.level === 0 && outline.firstParagraph === undefined) {
        const inline = tokens[i + 1];
        const content = inline.content.trim();
        // A paragraph of only images or display math is not a summary.
        const onlyImagesOrMath = (inline.children ?? []).every(
          (t) => ["image", "math_inline_block", "softbreak", "hardbreak"].includes(t.type) || (t.type === "text" && !t.content.trim()),
        );
        if (content && !onlyImagesOrMath) {
          outline.firstParagraph = content;
          if (outline.heading) return outline;
        }
      }
    }
  }
  return outline;
}

/** Plain text of one line of inline markdown (for <meta name="description">). */
export function markdownToText(src: string): string {
  const tokens = md.parseInline(src, newEnv(undefined, false));
  return tokens.map((t) => inlineText(t.children)).join(" ").trim();
}

/**
 * Shortens a markdown summary to its first sentence when it is long, without cutting inside
 * $...$ math or `code`.
 */
export function shortSummary(src: string, maxChars = 220): string {
  const text = src.replace(/\s+/g, " ").trim();
  if (text.length <= maxChars) return text;
  let inMath = false;
  let inCode = false;
  for (let i = 0; i < maxChars; i++) {
    const c = text[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === "`") inCode = !inCode;
    else if (c === "$" && !inCode) inMath = !inMath;
    else if (!inMath && !inCode && /[.!?]/.test(c) && text[i + 1] === " " && i >= 40) return text.slice(0, i + 1);
  }
  // No sentence end: cut at a word boundary outside math/code.
  const words = text.split(" ");
  let out = "";
  for (const w of words) {
    if ((out + " " + w).length > maxChars) break;
    out = out ? `${out} ${w}` : w;
  }
  const dollars = (out.match(/(?<!\\)\$/g) ?? []).length;
  const ticks = (out.match(/`/g) ?? []).length;
  if (dollars % 2 === 0 && ticks % 2 === 0) return `${out} …`;
  return `${out.slice(0, out.lastIndexOf(dollars % 2 ? "$" : "`")).trimEnd()} …`;
}
