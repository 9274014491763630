// Unit tests of the site's renderers (scripts/site/*) on the fixture notebooks in tests/fixtures/site.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ansiToHtml, applyControlChars, stripAnsi } from "../../scripts/site/ansi";
import { checkImage, decodeBase64 } from "../../scripts/site/images";
import { lessonInfo, renderLesson } from "../../scripts/site/lesson";
import { createPageContext, outlineOf, renderMarkdown, shortSummary, slugify } from "../../scripts/site/markdown";
import { parseNotebook, stripOutputs, type Cell, type Notebook } from "../../scripts/site/notebook";
import { createOutputContext, renderMimeBundle, renderOutputs } from "../../scripts/site/outputs";
import { sanitizeOutputHtml, sanitizeSvg } from "../../scripts/site/sanitize";
import { truncateText } from "../../scripts/site/truncate";
import { FIXTURE_DIR, SCATTER_FIGURE, gradientPng, longLogNotebook } from "../fixtures/site/generate";

const fixture = (name: string): Notebook => parseNotebook(readFileSync(path.join(FIXTURE_DIR, "notebooks", name), "utf8"));
const intro = fixture("01-intro.ipynb");
const edge = fixture("02-edge-cases.ipynb");

/** The code cell whose source contains `needle`. */
function cellWith(nb: Notebook, needle: string): Cell {
  const cell = nb.cells.find((c) => c.cell_type === "code" && [c.source].flat().join("").includes(needle));
  if (!cell) throw new Error(`no cell with ${needle}`);
  return cell;
}

function render(cell: Cell) {
  const ctx = createOutputContext();
  return { html: renderOutputs(ctx, cell.outputs), ctx };
}

/** Plotly figures embedded in the HTML, parsed back. */
function embeddedFigures(html: string): unknown[] {
  return Array.from(html.matchAll(/<script type="application\/json" id="[^"]+">([\s\S]*?)<\/script>/g), (m) => JSON.parse(m[1]));
}

describe("notebook parsing", () => {
  it("reads nbformat 4 and rejects what is not a notebook", () => {
    expect(intro.cells.length).toBeGreaterThan(5);
    expect(() => parseNotebook(readFileSync(path.join(FIXTURE_DIR, "notebooks", "03-broken.ipynb"), "utf8"))).toThrow(/not valid JSON/);
    expect(() => parseNotebook("[1, 2]")).toThrow(/not a notebook/);
    expect(() => parseNotebook('{"nbformat": 3, "cells": []}')).toThrow(/nbformat 3/);
    expect(() => parseNotebook('{"nbformat": 4}')).toThrow(/no cells/);
  });

  it("strips outputs and the runner's metadata", () => {
    const clean = stripOutputs(intro);
    for (const c of clean.cells.filter((c) => c.cell_type === "code")) {
      expect(c.outputs).toEqual([]);
      expect(c.execution_count).toBeNull();
    }
    expect(clean.metadata.gan_course).toBeUndefined();
    expect(intro.metadata.gan_course?.run?.seconds).toBe(42.5); // the original is untouched
  });
});

describe("markdown and math", () => {
  it("renders $...$ and $$...$$ with KaTeX and leaves no raw TeX", () => {
    const page = createPageContext();
    const html = renderMarkdown("Inline $G(z)$ and display:\n\n$$\\min_G \\max_D V(D, G)$$\n", page);
    expect((html.match(/class="katex"/g) ?? []).length).toBe(2);
    expect(html).toContain("katex-display");
    expect(html).not.toContain("$");
    expect(page.mathCount).toBe(2);
    expect(page.mathErrors).toEqual([]);
  });

  it("records LaTeX that KaTeX cannot parse", () => {
    const page = createPageContext();
    renderMarkdown("bad $\\frac{1}{$ math", page);
    expect(page.mathErrors).toEqual(["\\frac{1}{"]);
  });

  it("gives headings unique ids and collects them for the table of contents", () => {
    const page = createPageContext();
    renderMarkdown("# Title\n\n## The loss $L_D$\n\n## The loss $L_D$\n\n### Détails", page);
    expect(page.headings.map((h) => [h.level, h.id])).toEqual([
      [1, "title"],
      [2, "the-loss-l-d"],
      [2, "the-loss-l-d-2"],
      [3, "details"],
    ]);
    expect(page.headings[1].html).toContain('class="katex"');
    expect(page.headings[1].text).toBe("The loss L_D");
    expect(slugify("  What is a GAN? ")).toBe("what-is-a-gan");
  });

  it("sanitizes raw HTML in markdown but keeps math, code highlighting and tables", () => {
    const html = renderMarkdown(
      'Hi <img src="x.png" onerror="alert(1)"><script>alert(2)</script> $x^2$\n\n```ts\nconst x: number = 1;\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |',
      createPageContext(),
    );
    expect(html).not.toMatch(/<script|onerror|alert\(2\)/);
    expect(html).toContain('class="katex"');
    expect(html).toContain('<span class="hljs-keyword">const</span>');
    expect(html).toContain('<div class="table-wrap"><table>');
  });

  it("points links to sibling notebooks at their pages and inlines attachments", () => {
    const page = createPageContext(["02-edge-cases"]);
    const html = renderMarkdown("[next](02-edge-cases.ipynb#top) [other](99-missing.ipynb) ![a](attachment:a.png) ![b](figures/b.png)", page, {
      attachments: { "a.png": { "image/png": gradientPng(4, 4).toString("base64") } },
    });
    expect(html).toContain('href="02-edge-cases.html#top"');
    expect(html).toContain('href="99-missing.ipynb"');
    expect(html).toMatch(/src="data:image\/png;base64,[A-Za-z0-9+/=]+"/);
    expect([...page.localImages]).toEqual(["figures/b.png"]);
    expect(page.warnings).toEqual(["link to 99-missing.ipynb: there is no such lesson on the site (the link will be broken)"]);
  });

  it("finds the title and the summary paragraph, and shortens long summaries", () => {
    const outline = outlineOf(["Preamble paragraph.", "# The *title* $x$\n\n![img](a.png) ![b](b.png)\n\n$$x$$\n\nThe first paragraph.\n\nThe second."]);
    expect(outline.heading?.text).toBe("The title x");
    expect(outline.firstParagraph).toBe("The first paragraph.");
    const long = `A sentence about $G$ that is long enough to count as a first sentence. ${"More words here. ".repeat(20)}`;
    expect(shortSummary(long)).toBe("A sentence about $G$ that is long enough to count as a first sentence.");
    const noStop = `${"word ".repeat(30)}$a + b + c + d + e + f + g + h + i + j + k + l + m + n + o + p + q + r + s + t$ ${"tail ".repeat(20)}`;
    const short = shortSummary(noStop, 200);
    expect(short.endsWith(" …")).toBe(true);
    expect((short.match(/\$/g) ?? []).length % 2).toBe(0); // never cuts inside math
  });
});

describe("terminal text", () => {
  it("converts ANSI colours to escaped spans and strips other escapes", () => {
    const html = ansiToHtml("\x1b[1;31mError:\x1b[0m <b> \x1b[38;5;208mhigh\x1b[0m \x1b[2K\x1b]0;title\x07done");
    expect(html).toBe(
      '<span class="ansi-red-fg ansi-bold">Error:</span> &lt;b&gt; <span style="color:rgb(255,135,0)">high</span> done',
    );
    expect(stripAnsi("\x1b[32mok\x1b[0m")).toBe("ok");
  });

  it("applies carriage returns and backspaces like a terminal", () => {
    expect(applyControlChars("10%\r50%\r100%\nnext\r\n")).toBe("100%\nnext\n");
    expect(applyControlChars("abc\b\bX")).toBe("aX");
  });

  it("truncates huge text to a head and a tail and counts what is left out", () => {
    expect(truncateText("short\ntext")).toBeNull();
    const text = Array.from({ length: 20_000 }, (_, i) => `line ${i}\n`).join("");
    const cut = truncateText(text, { maxChars: 20_000, maxLines: 500 })!;
    expect(cut.head.length + cut.tail.length + cut.omittedChars).toBe(text.length);
    expect(cut.head.startsWith("line 0\n")).toBe(true);
    expect(cut.tail.endsWith("line 19999\n")).toBe(true);
    expect(cut.head.split("\n").length - 1 + cut.tail.split("\n").length - 1).toBe(500);
    expect(cut.omittedLines).toBe(19_500);
    // One enormous line is cut by characters.
    const one = truncateText("x".repeat(1_000_000), { maxChars: 1000, maxLines: 10 })!;
    expect(one.head.length + one.tail.length).toBe(1000);
    expect(one.omittedChars).toBe(999_000);
  });
});

describe("outputs", () => {
  it("draws Plotly figures from the JSON bundle, never the HTML fallback with its <script>", () => {
    const { html, ctx } = render(cellWith(intro, "plot.line"));
    expect(ctx.stats.charts).toBe(2);
    expect(html.match(/class="plotly-chart"/g)).toHaveLength(2);
    expect(html).not.toContain("cdn.plot.ly");
    expect(html).not.toMatch(/<script(?! type="application\/json")/);
    const figures = embeddedFigures(html) as { data: unknown[]; layout: { title: { text: string } } }[];
    expect(figures[0]).toEqual({ ...SCATTER_FIGURE, config: {} });
    // The second figure was stored as a JSON string.
    expect((figures[1].data[0] as { type: string }).type).toBe("heatmap");
    expect(figures[1].layout.title.text).toBe("D(x) over the plane");
  });

  it("escapes a figure so it cannot close its <script> element", () => {
    const ctx = createOutputContext();
    const html = renderMimeBundle(ctx, {
      "application/vnd.plotly.v1+json": { data: [{ type: "scatter", y: [1], name: "</script><script>alert(1)</script>" }], layout: {} },
    });
    expect(html.match(/<script/g)).toHaveLength(1);
    expect((embeddedFigures(html)[0] as { data: { name: string }[] }).data[0].name).toBe("</script><script>alert(1)</script>");
  });

  it("shows a real PNG as an <img> with its size (tiny images scaled up, pixelated)", () => {
    const { html, ctx } = render(cellWith(intro, "display.png(samplePng)"));
    expect(ctx.stats.images).toBe(2);
    const imgs = Array.from(html.matchAll(/<img class="([^"]+)" src="data:image\/png;base64,([^"]+)" width="(\d+)" height="(\d+)" alt="([^"]*)">/g));
    expect(imgs).toHaveLength(2);
    expect(imgs[0].slice(3)).toEqual(["288", "288", "Image 48×48"]); // 48 px × 6
    expect(imgs[0][1]).toBe("output-image pixelated");
    expect(imgs[1].slice(3, 5)).toEqual(["240", "120"]);
    expect(checkImage("image/png", imgs[0][2]).ok).toBe(true);
  });

  it("sanitizes HTML outputs: no scripts, event handlers, styles, iframes or javascript: links", () => {
    const { html } = render(cellWith(edge, "display.html(untrusted)"));
    expect(html).toContain("<td>0.69</td>");
    expect(html).toContain("bold html");
    expect(html).not.toMatch(/<script|onerror|onclick|<style|<iframe|javascript:|__pwned/);
    expect(html).not.toMatch(/<img/); // an <img src="x"> could not load anyway
    // An HTML output that was only a script falls back to its text/plain.
    expect(html).toContain("&#39;only a script&#39;");
  });

  it("falls back to text/plain for unknown MIME types, else says what was not shown", () => {
    const { html } = render(cellWith(edge, "display.custom(state)"));
    expect(html).toContain("GanState { step: 3 }");
    expect(html).toContain("Output of type application/vnd.custom+json not shown.");
    expect(html).toContain("Output of type application/javascript not shown.");
    expect(html).not.toContain("__pwned");
  });

  it("replaces broken images (bad base64, not a PNG, truncated PNG) by notes", () => {
    const { html, ctx } = render(cellWith(edge, "display.png(broken)"));
    expect(html).not.toContain("<img");
    expect(ctx.stats.images).toBe(0);
    expect(html).toContain("Image not shown: the image data is not valid base64.");
    expect(html).toContain("&lt;broken image&gt;"); // with its text/plain after the note
    expect(html).toContain("Image not shown: the data is not a PNG image.");
    expect(html).toContain("Image not shown: the PNG data is corrupt or truncated.");
    expect(decodeBase64("abc$")).toBeNull();
  });

  it("shows errors and streams with ANSI codes handled and everything escaped", () => {
    const { html, ctx } = render(cellWith(edge, "console.error"));
    expect(html).not.toContain("\x1b");
    expect(ctx.stats.errors).toBe(1);
    expect(html).toContain('<span class="error-name">TypeError</span>');
    expect(html).toContain("(reading &#39;shape&#39;) &lt;script&gt;");
    expect(html).not.toContain("<script");
    // The traceback's first line repeats the title: shown once.
    expect(html.match(/Cannot read properties/g)).toHaveLength(1);
    expect(html).toContain("    at discriminator (&lt;cell&gt;:3:17)");
    expect(html).toContain('<span class="ansi-green-fg">epoch 1 done</span>');
    expect(html).toContain("progress 100%");
    expect(html).not.toContain("progress 50%");
    expect(html).toMatch(/<div class="output-stream output-stderr">.*ansi-red-fg ansi-bold">warning:<\/span> learning rate .*&lt;not a tag&gt;/s);
  });

  it("sanitizes SVG and renders markdown and LaTeX outputs", () => {
    const { html, ctx } = render(cellWith(edge, "display.svg(chart)"));
    expect(html).toContain("<circle");
    expect(html).toContain('viewBox="0 0 120 40"');
    expect(html).not.toMatch(/onload|<script|__pwned/);
    expect(html).toContain("<strong>Markdown output</strong>");
    expect(html.match(/class="katex"/g)).toHaveLength(2); // markdown math + text/latex
    expect(ctx.page.headings).toEqual([]); // output headings stay out of the TOC
    expect(html).toContain("Output of kind weird_output not shown.");
    expect(html).toContain("Chart not shown: its figure is not valid JSON.");
    expect(html).toContain("Figure (fallback)");
    expect(html).not.toContain("cdn.plot.ly");
    expect(sanitizeSvg("<div>not svg</div>")).toBe("");
  });

  it("follows Jupyter's MIME priority", () => {
    const png = gradientPng(200, 200).toString("base64");
    const both = renderMimeBundle(createOutputContext(), { "text/plain": "plain", "image/png": png, "text/html": "<b>html</b>" });
    expect(both).toBe('<div class="output-html"><b>html</b></div>');
    const img = renderMimeBundle(createOutputContext(), { "text/plain": "plain", "image/png": png });
    expect(img).toMatch(/^<img class="output-image" /);
    const md = renderMimeBundle(createOutputContext(), { "text/plain": "plain", "text/markdown": "*md*" });
    expect(md).toContain("<em>md</em>");
  });

  it("cuts a 1 MB stream to a readable size with a note saying how much was left out", () => {
    const nb = longLogNotebook() as unknown as Notebook;
    const text = [nb.cells[1].outputs![0]].flatMap((o) => (o as { text: string[] }).text).join("");
    expect(text.length).toBeGreaterThan(1_000_000);
    const { html, ctx } = render(nb.cells[1]);
    expect(ctx.stats.truncated).toBe(1);
    expect(html.length).toBeLessThan(30_000);
    const cut = truncateText(text)!;
    expect(cut.omittedLines).toBeGreaterThan(19_000);
    expect(html).toContain(`… ${cut.omittedLines.toLocaleString("en-US")} lines (${cut.omittedChars.toLocaleString("en-US")} characters) of output not shown here`);
    expect(html).toContain("step 00001");
    expect(html).toContain("step 20000");
  });

  it("escapes text/plain", () => {
    const html = renderMimeBundle(createOutputContext(), { "text/plain": ["<script>alert(1)</script>", " & more"] });
    expect(html).toBe('<pre class="output-text">&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</pre>');
    expect(sanitizeOutputHtml('<a href="https://x.org" target="_top">x</a>')).toBe('<a href="https://x.org" rel="noopener noreferrer">x</a>');
  });
});

describe("lessons", () => {
  it("reads title, summary, run time and exercises", () => {
    const info = lessonInfo(intro, "01-intro", 0);
    expect(info).toMatchObject({ number: "01", title: "What is a GAN?", seconds: 42.5, exercises: 1, points: 2 });
    expect(info.summarySource).toMatch(/^A generative adversarial network pits a generator \$G\$/);
    const edgeInfo = lessonInfo(edge, "02-edge-cases", 1);
    expect(edgeInfo.summarySource).toBe("Every kind of output the site must survive."); // from metadata
    expect(edgeInfo.seconds).toBeUndefined();
    expect(lessonInfo({ nbformat: 4, metadata: {}, cells: [] }, "07-wgan-gp", 6)).toMatchObject({ title: "Wgan gp", number: "07", exercises: 0 });
  });

  it("renders cells: highlighted code, exercise and check badges, no raw cells", () => {
    const lesson = renderLesson(intro, { stem: "01-intro", position: 0, lessonStems: ["01-intro", "02-edge-cases"], images: (i) => `images/x.${i.ext}`, limits: { maxChars: 20_000, maxLines: 500 } });
    expect(lesson.content).toContain('<span class="hljs-keyword">import</span>');
    expect(lesson.content).toContain('<div class="cell-badge badge-exercise"><span class="badge-label">Exercise</span> <code>01-intro/discriminator-loss</code> · 2 points</div>');
    expect(lesson.content).toContain("badge-checks");
    expect(lesson.content).toContain('href="02-edge-cases.html#outputs-that-could-break-a-page"');
    expect(lesson.page.headings.map((h) => h.id)).toEqual([
      "what-is-a-gan",
      "the-minimax-game",
      "sampling-noise-z-sim-mathcaln0-i",
      "training-curves",
      "exercise-the-discriminator-loss",
    ]);
    const edgeLesson = renderLesson(edge, { stem: "02", position: 1, lessonStems: [], images: () => "x", limits: { maxChars: 20_000, maxLines: 500 } });
    expect(edgeLesson.content).not.toContain("__pwned");
  });
});
