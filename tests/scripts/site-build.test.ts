// The site builds from the fixture notebooks and contains what a reader needs (scripts/site/build.ts).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite, formatReport, type SiteReport } from "../../scripts/site/build";
import { parseNotebook } from "../../scripts/site/notebook";
import { FIXTURE_DIR, committedFixtures, writeFixtureInput } from "../fixtures/site/generate";

let tmp: string;
let out: string;
let input: { notebooksDir: string; sourceDir: string };
let report: SiteReport;
const read = (rel: string) => readFileSync(path.join(out, rel), "utf8");

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? allFiles(path.join(dir, e.name)) : [path.relative(out, path.join(dir, e.name))],
  );
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "site-build-test-"));
  input = writeFixtureInput(path.join(tmp, "in"));
  out = path.join(tmp, "site");
  report = await buildSite({ ...input, outDir: out });
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("buildSite on the fixtures", () => {
  it("builds every readable notebook and reports the broken one", () => {
    expect(report.pages.map((p) => p.file)).toEqual(["01-intro.html", "02-edge-cases.html", "04-long-log.html"]);
    expect(report.skipped).toEqual([{ file: "03-broken.ipynb", error: expect.stringMatching(/^not valid JSON/) }]);
    const introPage = report.pages[0];
    expect(introPage).toMatchObject({ title: "What is a GAN?", charts: 2, images: 2, exercises: 1, points: 2, seconds: 42.5, errorOutputs: 0 });
    expect(report.pages[1]).toMatchObject({ charts: 0, errorOutputs: 1 });
    expect(report.pages[2]).toMatchObject({ truncatedOutputs: 1, seconds: 3725 });
    expect(report.totalBytes).toBeGreaterThan(1_000_000);
    expect(formatReport(report)).toContain("SKIPPED 03-broken.ipynb: not valid JSON");
  });

  it("ships one local copy of plotly.js, KaTeX's CSS and fonts, and the highlight.js theme", () => {
    const files = allFiles(out);
    expect(files.filter((f) => /plotly/i.test(f))).toEqual(["assets/plotly.min.js"]);
    expect(statSync(path.join(out, "assets/plotly.min.js")).size).toBeGreaterThan(1_000_000);
    expect(read("assets/katex/katex.min.css")).toContain("KaTeX_Main");
    expect(files).toContain("assets/katex/fonts/KaTeX_Main-Regular.woff2");
    expect(read("assets/highlight.css")).toContain(".hljs-keyword");
    // Every url() in KaTeX's CSS resolves to a copied font.
    for (const m of read("assets/katex/katex.min.css").matchAll(/url\(([^)]+)\)/g)) {
      expect(existsSync(path.join(out, "assets/katex", m[1].replace(/["']/g, "")))).toBe(true);
    }
  });

  it("loads nothing from the internet and runs no inline script", () => {
    for (const page of ["index.html", ...report.pages.map((p) => p.file)]) {
      const html = read(page);
      for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
        expect(tag).not.toMatch(/https?:|\/\//);
        if (tag.startsWith("<script")) expect(tag).toMatch(/src="assets\/(plotly\.min|site)\.js"|type="application\/json"/);
      }
      expect(html).not.toMatch(/\son[a-z]+=/i);
      expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
      expect(html).toContain("Content-Security-Policy");
    }
    expect(read("02-edge-cases.html")).not.toContain("__pwned");
  });

  it("writes an index with titles, summaries, exercises, run times and the skipped notebook", () => {
    const index = read("index.html");
    const cards = index.split('<li class="lesson-card">').slice(1);
    expect(cards).toHaveLength(3);
    expect(cards[0]).toContain('href="01-intro.html"');
    expect(cards[0]).toContain("What is a GAN?");
    expect(cards[0]).toMatch(/A generative adversarial network pits a generator <span class="katex">/);
    expect(cards[0]).toContain("1 exercise · 2 pts");
    expect(cards[0]).toContain("43 s</span>");
    expect(cards[1]).toContain("Every kind of output the site must survive.");
    expect(cards[1]).toContain("No exercises");
    expect(cards[1]).toContain("—</span>");
    expect(cards[2]).toContain("1 h 02 min</span>");
    expect(index).toMatch(/Not built[\s\S]*03-broken\.ipynb/);
    expect(index).toContain("3 lessons");
  });

  it("gives each lesson a table of contents, previous/next links and downloads", () => {
    const intro = read("01-intro.html");
    expect(intro).toContain("<title>What is a GAN? · GAN Course</title>");
    expect(intro).toContain('<a href="#the-minimax-game">The minimax game</a>');
    expect(intro).toContain('id="the-minimax-game"');
    expect(intro).not.toContain('class="pager-link pager-prev"');
    expect(intro).toMatch(/class="pager-link pager-next" href="02-edge-cases.html"/);
    const edge = read("02-edge-cases.html");
    expect(edge).toMatch(/class="pager-link pager-prev" href="01-intro.html"/);
    expect(edge).toMatch(/class="pager-link pager-next" href="04-long-log.html"/);
    expect(intro).toContain('href="notebooks/01-intro.ipynb" download');
    expect(intro).toContain('href="notebooks/01-intro.executed.ipynb" download');
    // Pages without charts load no script at all.
    expect(edge).not.toContain("<script");
    expect(intro.match(/<script src=/g)).toHaveLength(2);
  });

  it("counts the math it rendered so the browser check can verify it", () => {
    for (const page of ["index.html", "01-intro.html", "02-edge-cases.html"]) {
      const html = read(page);
      const expected = Number(/data-math="(\d+)"/.exec(html)![1]);
      expect(expected).toBeGreaterThan(0);
      expect((html.match(/class="katex"/g) ?? []).length).toBe(expected);
    }
  });

  it("offers the source notebook without outputs and the executed one (student view: solutions stubbed)", () => {
    // 01 has a source notebook: offered with the same cells (exercise solutions replaced by the stub).
    const cellsOf = (text: string) => parseNotebook(text).cells.map((c) => [c.cell_type, c.cell_type === "code" ? c.outputs?.length : 0]);
    expect(cellsOf(read("notebooks/01-intro.ipynb"))).toEqual(cellsOf(readFileSync(path.join(input.sourceDir, "01-intro.ipynb"), "utf8")));
    expect(cellsOf(read("notebooks/01-intro.executed.ipynb"))).toEqual(cellsOf(readFileSync(path.join(input.notebooksDir, "01-intro.ipynb"), "utf8")));
    // 02 has none: the executed notebook with its outputs stripped.
    const stripped = parseNotebook(read("notebooks/02-edge-cases.ipynb"));
    expect(stripped.cells.every((c) => c.cell_type !== "code" || (c.outputs?.length === 0 && c.execution_count === null))).toBe(true);
    expect(stripped.cells.length).toBe(parseNotebook(read("notebooks/02-edge-cases.executed.ipynb")).cells.length);
  });

  it("writes image outputs once each, as files", () => {
    const images = readdirSync(path.join(out, "images"));
    expect(images).toHaveLength(2);
    for (const img of images) expect(read("01-intro.html")).toContain(`src="images/${img}"`);
  });

  it("refuses to replace a folder it did not build, and needs the notebooks folder", async () => {
    const foreign = path.join(tmp, "foreign");
    mkdirSync(foreign);
    writeFileSync(path.join(foreign, "precious.txt"), "keep me");
    await expect(buildSite({ ...input, outDir: foreign })).rejects.toThrow(/refusing to replace/);
    expect(readFileSync(path.join(foreign, "precious.txt"), "utf8")).toBe("keep me");
    await expect(buildSite({ notebooksDir: path.join(tmp, "nope"), outDir: path.join(tmp, "o2") })).rejects.toThrow(/no executed notebooks/);
  });

  it("has committed fixtures that match their generator", () => {
    for (const [rel, text] of Object.entries(committedFixtures())) {
      expect(readFileSync(path.join(FIXTURE_DIR, rel), "utf8"), rel).toBe(text);
    }
  });
});

describe("buildSite and exercise solutions", () => {
  const exerciseNotebook = (source: string[]) => ({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: "markdown", id: "a", metadata: {}, source: ["# Lesson\n", "Write `f`."] },
      { cell_type: "code", id: "b", metadata: { gan_course: { exercise: { id: "99-x/f", points: 1 } } }, execution_count: 1, outputs: [], source },
    ],
  });
  const solution = ["function f() {\n", "  // BEGIN SOLUTION\n", "  return 'SECRET_ANSWER';\n", "  // END SOLUTION\n", "}"];

  it("publishes the student view: no solution on the page or in either download; includeSolutions shows it", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "site-solutions-"));
    for (const sub of ["in", "src"]) mkdirSync(path.join(dir, sub));
    writeFileSync(path.join(dir, "in", "99-x.ipynb"), JSON.stringify(exerciseNotebook(solution)));
    writeFileSync(path.join(dir, "src", "99-x.ipynb"), JSON.stringify(exerciseNotebook(solution)));
    const student = path.join(dir, "student");
    await buildSite({ notebooksDir: path.join(dir, "in"), sourceDir: path.join(dir, "src"), outDir: student });
    for (const rel of ["99-x.html", "notebooks/99-x.ipynb", "notebooks/99-x.executed.ipynb"]) {
      const text = readFileSync(path.join(student, rel), "utf8");
      expect(text, rel).not.toContain("SECRET_ANSWER");
      expect(text, rel).toContain("Exercise 99-x/f: not implemented yet");
    }
    const instructor = path.join(dir, "instructor");
    await buildSite({ notebooksDir: path.join(dir, "in"), sourceDir: path.join(dir, "src"), outDir: instructor, includeSolutions: true });
    expect(readFileSync(path.join(instructor, "99-x.html"), "utf8")).toContain("SECRET_ANSWER");
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("buildSite details", () => {
  const nb = (cells: unknown[]) => JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });

  it("copies images that markdown references next to the notebook, and warns about the rest", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "site-local-images-"));
    try {
      mkdirSync(path.join(dir, "src", "figures"), { recursive: true });
      mkdirSync(path.join(dir, "nb"));
      writeFileSync(path.join(dir, "src", "figures", "gan.png"), readFileSync(path.join(FIXTURE_DIR, "..", "..", "..", "scripts", "site", "assets", "favicon.svg")));
      writeFileSync(
        path.join(dir, "nb", "01-a.ipynb"),
        nb([{ cell_type: "markdown", metadata: {}, source: "# A\n\n![gan](figures/gan.png) ![gone](figures/gone.png) ![web](https://example.com/x.png) ![clash](assets/site.css)" }]),
      );
      const r = await buildSite({ notebooksDir: path.join(dir, "nb"), sourceDir: path.join(dir, "src"), outDir: path.join(dir, "site") });
      expect(existsSync(path.join(dir, "site", "figures", "gan.png"))).toBe(true);
      const html = readFileSync(path.join(dir, "site", "01-a.html"), "utf8");
      expect(html).toContain('src="figures/gan.png"');
      expect(html).not.toContain("example.com");
      expect(r.pages[0].warnings).toEqual([
        "image https://example.com/x.png not shown: the site loads nothing from the internet (put the file next to the notebook)",
        "image figures/gone.png not found next to the notebook",
        "image assets/site.css: path clashes with the site's own files; not copied",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("honours remove-cell, remove-input, hide-input and remove-output tags", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "site-tags-"));
    try {
      mkdirSync(path.join(dir, "nb"));
      const out = (text: string) => [{ output_type: "stream", name: "stdout", text }];
      const code = (source: string, tags: string[]) => ({ cell_type: "code", metadata: { tags }, execution_count: 1, source, outputs: out(`out of ${source}`) });
      writeFileSync(
        path.join(dir, "nb", "01-t.ipynb"),
        nb([code("cellA", ["remove-cell"]), code("cellB", ["remove-input"]), code("cellC", ["hide-input"]), code("cellD", ["remove-output"])]),
      );
      await buildSite({ notebooksDir: path.join(dir, "nb"), sourceDir: path.join(dir, "none"), outDir: path.join(dir, "site") });
      const html = readFileSync(path.join(dir, "site", "01-t.html"), "utf8");
      expect(html).not.toContain("cellA");
      expect(html).not.toMatch(/<code[^>]*>cellB/);
      expect(html).toContain("out of cellB");
      expect(html).toMatch(/<details class="hidden-input"><summary>Show code<\/summary><pre class="cell-input"><code[^>]*>cellC/);
      expect(html).toMatch(/<code[^>]*>cellD/);
      expect(html).not.toContain("out of cellD");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("has a CLI that builds the site and exits non-zero when a notebook was skipped", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "site-cli-"));
    try {
      const cli = path.join(FIXTURE_DIR, "..", "..", "..", "scripts", "site", "build.ts");
      const tsx = path.join(FIXTURE_DIR, "..", "..", "..", "node_modules", ".bin", "tsx");
      const r = spawnSync(tsx, [cli, "--in", input.notebooksDir, "--source", input.sourceDir, "--out", path.join(dir, "site"), "--title", "My GANs"], { encoding: "utf8" });
      expect(r.status, r.stderr).toBe(1);
      expect(r.stdout).toContain("01-intro.html");
      expect(r.stdout).toContain("SKIPPED 03-broken.ipynb");
      expect(r.stderr).toContain("1 notebook(s) skipped");
      expect(readFileSync(path.join(dir, "site", "index.html"), "utf8")).toContain("<h1>My GANs</h1>");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
