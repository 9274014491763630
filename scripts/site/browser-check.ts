/**
 * Opens every page of a built site in headless Chromium, from disk (file://), and checks what
 * a reader would see:
 *   - no console errors, no uncaught page errors, no failed loads, no request to the internet;
 *   - every Plotly chart has drawn (.main-svg with trace elements);
 *   - math is rendered (as many .katex elements as the build rendered, no KaTeX errors, the
 *     KaTeX font loaded, no raw $$ or $\command left in the text);
 *   - every <img> loaded (naturalWidth > 0);
 *   - every internal link (a, img, link, script) points at an existing file, and #fragments exist;
 *   - on a phone-sized screen (390 px) nothing makes the page scroll sideways.
 * Saves screenshots of the index and of one lesson (desktop, plus the lesson on a phone).
 *
 * CLI: tsx scripts/site/browser-check.ts [build/site] [--screenshots build] [--lesson STEM]
 * Chromium: $CHROMIUM_PATH or /usr/bin/chromium (Debian's package; CI installs it with apt).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Command } from "commander";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { formatBytes } from "./escape";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || "/usr/bin/chromium";
}

export interface CheckOptions {
  /** Where to save screenshots (default "build"); null for none. */
  screenshotsDir?: string | null;
  /** Lesson page (stem or file name) for the lesson screenshots (default: the first with a chart). */
  lesson?: string;
  executablePath?: string;
  /** Per-page timeout for charts to draw (default 30 s). */
  timeoutMs?: number;
}

export interface PageResult {
  file: string;
  charts: number;
  images: number;
  math: number;
  links: number;
  failures: string[];
}

export interface CheckReport {
  siteDir: string;
  pages: PageResult[];
  failures: string[];
  charts: number;
  images: number;
  math: number;
  links: number;
  totalBytes: number;
  screenshots: string[];
}

function htmlFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...htmlFiles(p, base));
    else if (e.name.endsWith(".html")) out.push(path.relative(base, p).split(path.sep).join("/"));
  }
  return out.sort((a, b) => (a === "index.html" ? -1 : b === "index.html" ? 1 : a.localeCompare(b, "en", { numeric: true })));
}

function dirBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    n += e.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return n;
}

/** What the page reports about itself (evaluated in the browser). */
interface PageFacts {
  expectedMath: number;
  expectedCharts: number;
  katex: number;
  katexErrors: string[];
  katexFontLoaded: boolean;
  rawMath: string[];
  charts: { id: string; state: string | null; mainSvg: boolean; traces: number }[];
  images: { src: string; ok: boolean }[];
  refs: { tag: string; url: string }[];
  ids: string[];
}

async function pageFacts(page: Page): Promise<PageFacts> {
  return page.evaluate(async () => {
    await document.fonts.ready;
    const imgs = Array.from(document.images);
    await Promise.all(imgs.map((i) => (i.complete ? Promise.resolve() : i.decode().catch(() => undefined))));
    // Text outside code, preformatted output and rendered math: no raw TeX may be left there.
    const rawMath: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) =>
        (n.parentElement?.closest("pre, code, script, style, .katex, .katex-error") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const t = n.textContent ?? "";
      if (/\$\$|\$\\[A-Za-z]|\\\(|\\\[/.test(t)) rawMath.push(t.trim().slice(0, 80));
    }
    const fonts = Array.from(document.fonts as unknown as Iterable<FontFace>);
    return {
      expectedMath: Number(document.body.dataset.math ?? 0),
      expectedCharts: Number(document.body.dataset.charts ?? 0),
      katex: document.querySelectorAll(".katex").length,
      katexErrors: Array.from(document.querySelectorAll(".katex-error")).map((e) => (e.getAttribute("title") || e.textContent || "").slice(0, 100)),
      katexFontLoaded: fonts.some((f) => f.family.replace(/"/g, "") === "KaTeX_Main" && f.status === "loaded"),
      rawMath,
      charts: Array.from(document.querySelectorAll<HTMLElement>(".plotly-chart")).map((c) => ({
        id: c.id,
        state: c.getAttribute("data-state"),
        mainSvg: !!c.querySelector(".main-svg"),
        traces: c.querySelectorAll(".main-svg .trace, .main-svg .hm, .main-svg .imagelayer image").length,
      })),
      images: imgs.map((i) => ({ src: i.getAttribute("src")?.slice(0, 100) ?? "", ok: i.complete && i.naturalWidth > 0 })),
      refs: [
        ...Array.from(document.querySelectorAll("a[href]")).map((e) => ({ tag: "a", url: (e as HTMLAnchorElement).href })),
        ...Array.from(document.querySelectorAll("img[src]")).map((e) => ({ tag: "img", url: (e as HTMLImageElement).src })),
        ...Array.from(document.querySelectorAll("link[href]")).map((e) => ({ tag: "link", url: (e as HTMLLinkElement).href })),
        ...Array.from(document.querySelectorAll("script[src]")).map((e) => ({ tag: "script", url: (e as HTMLScriptElement).src })),
      ],
      ids: Array.from(document.querySelectorAll("[id]")).map((e) => e.id),
    };
  });
}

/** Elements wider than the viewport on a phone (the page must not scroll sideways). */
async function phoneOverflow(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width + 1) return null;
    const culprits: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll<HTMLElement>("*"))) {
      const r = el.getBoundingClientRect();
      if (r.right > width + 1 && culprits.length < 3) {
        // Report the outermost offender only.
        if (!culprits.some((c) => el.parentElement?.closest(c))) culprits.push(el.tagName.toLowerCase() + (el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : ""));
      }
    }
    return `page is ${document.documentElement.scrollWidth}px wide on a ${width}px phone screen (${culprits.join(", ")})`;
  });
}

function idsInFile(file: string, cache: Map<string, Set<string>>): Set<string> {
  let ids = cache.get(file);
  if (!ids) {
    ids = new Set(Array.from(readFileSync(file, "utf8").matchAll(/\sid="([^"]+)"/g), (m) => m[1]));
    cache.set(file, ids);
  }
  return ids;
}

async function waitForCharts(page: Page, timeoutMs: number): Promise<void> {
  if ((await page.locator(".plotly-chart").count()) === 0) return;
  await page
    .waitForFunction(
      () => Array.from(document.querySelectorAll(".plotly-chart")).every((c) => c.getAttribute("data-state")),
      undefined,
      { timeout: timeoutMs },
    )
    .catch(() => undefined); // reported per chart below
}

/** Screenshots to take of a page while it is open: at 1280 px (desktop) and at 390 px (phone). */
interface ShotPlan {
  desktop?: string;
  phone?: string;
}

async function saveShot(page: Page, file: string, maxHeight: number): Promise<void> {
  const viewport = page.viewportSize()!;
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width: viewport.width, height: Math.min(height, maxHeight) } });
}

async function checkPage(
  context: BrowserContext,
  siteDir: string,
  rel: string,
  timeoutMs: number,
  idCache: Map<string, Set<string>>,
  shots: ShotPlan = {},
): Promise<PageResult> {
  const failures: string[] = [];
  const page = await context.newPage();
  page.on("console", (msg) => {
    if (msg.type() === "error") failures.push(`console error: ${msg.text().slice(0, 300)}`);
  });
  page.on("pageerror", (err) => failures.push(`page error: ${err.message.slice(0, 300)}`));
  page.on("requestfailed", (req) => {
    if (!req.url().startsWith("data:")) failures.push(`failed to load ${req.url()} (${req.failure()?.errorText ?? "?"})`);
  });
  page.on("request", (req) => {
    if (!/^(file|data|blob|about):/.test(req.url())) failures.push(`request to the internet: ${req.url()}`);
  });
  await page.setViewportSize({ width: 1280, height: 900 });
  const url = pathToFileURL(path.join(siteDir, rel)).href;
  await page.goto(url, { waitUntil: "load", timeout: Math.max(60_000, timeoutMs) }); // plotly.js parses slowly on a busy CPU
  await waitForCharts(page, timeoutMs);
  const f = await pageFacts(page);

  if (f.charts.length !== f.expectedCharts) failures.push(`expected ${f.expectedCharts} charts, found ${f.charts.length}`);
  for (const c of f.charts) {
    if (c.state !== "drawn" || !c.mainSvg || c.traces === 0) {
      failures.push(`chart #${c.id} not drawn (state ${c.state ?? "pending"}, main-svg ${c.mainSvg ? "yes" : "no"}, ${c.traces} traces)`);
    }
  }
  if (f.katex + f.katexErrors.length < f.expectedMath) failures.push(`expected ${f.expectedMath} math elements, found ${f.katex} .katex`);
  for (const e of f.katexErrors) failures.push(`KaTeX error: ${e}`);
  if (f.katex > 0 && !f.katexFontLoaded) failures.push("math is on the page but the KaTeX font did not load");
  for (const t of f.rawMath) failures.push(`raw TeX in the text: "${t}"`);
  for (const img of f.images) if (!img.ok) failures.push(`image did not load: ${img.src}`);

  const pageFile = path.join(siteDir, rel);
  const ids = new Set(f.ids);
  let links = 0;
  for (const ref of f.refs) {
    if (!ref.url.startsWith("file:")) continue;
    links++;
    const u = new URL(ref.url);
    const target = fileURLToPath(new URL(u.pathname, "file://"));
    if (!path.resolve(target).startsWith(path.resolve(siteDir) + path.sep)) {
      failures.push(`${ref.tag} points outside the site: ${ref.url}`);
      continue;
    }
    if (!existsSync(target) || !statSync(target).isFile()) {
      failures.push(`broken ${ref.tag} link: ${path.relative(siteDir, target)}`);
      continue;
    }
    const frag = u.hash ? decodeURIComponent(u.hash.slice(1)) : "";
    if (frag && target.endsWith(".html")) {
      const targetIds = path.resolve(target) === path.resolve(pageFile) ? ids : idsInFile(target, idCache);
      if (!targetIds.has(frag)) failures.push(`link to a missing anchor: ${path.relative(siteDir, target)}#${frag}`);
    }
  }

  if (shots.desktop) await saveShot(page, shots.desktop, 3200);

  // Phone: nothing may scroll sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(f.charts.length ? 400 : 50); // Plotly's responsive resize is debounced
  const overflow = await phoneOverflow(page);
  if (overflow) failures.push(overflow);
  if (shots.phone) await saveShot(page, shots.phone, 2400);

  await page.close();
  return { file: rel, charts: f.charts.length, images: f.images.length, math: f.katex, links, failures };
}

export async function checkSite(siteDir: string, options: CheckOptions = {}): Promise<CheckReport> {
  const dir = path.resolve(siteDir);
  if (!existsSync(path.join(dir, "index.html"))) throw new Error(`no site at ${dir} (index.html missing): build it first`);
  const executablePath = options.executablePath ?? chromiumPath();
  if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath} (install it, or set CHROMIUM_PATH)`);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const files = htmlFiles(dir);
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), "gan-course-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath, headless: true, args: CHROMIUM_ARGS });
  const pages: PageResult[] = [];
  const screenshots: string[] = [];
  try {
    // Nothing may reach the network: such requests are recorded (above) and aborted here.
    await context.route(/^(https?|wss?|ftp):/, (route) => route.abort("blockedbyclient"));
    // tsx/esbuild wrap named functions in __name(...) (keepNames); the functions this script
    // evaluates in the page need that helper there too.
    await context.addInitScript({ content: "globalThis.__name = globalThis.__name || ((f) => f);" });
    // Screenshots are taken while each page is open for its checks (no second load).
    const plans = new Map<string, ShotPlan>();
    if (options.screenshotsDir !== null) {
      const shots = path.resolve(options.screenshotsDir ?? "build");
      const lessons = files.filter((f) => f !== "index.html");
      const wanted = options.lesson?.replace(/\.html$/, "");
      const hasChart = (f: string) => /data-charts="[1-9]/.test(readFileSync(path.join(dir, f), "utf8"));
      const lesson = (wanted && lessons.find((f) => f === `${wanted}.html`)) || lessons.find(hasChart) || lessons[0];
      plans.set("index.html", { desktop: path.join(shots, "site-index.png") });
      if (lesson) plans.set(lesson, { desktop: path.join(shots, "site-lesson.png"), phone: path.join(shots, "site-lesson-phone.png") });
      for (const plan of plans.values()) screenshots.push(...[plan.desktop, plan.phone].filter((s): s is string => !!s));
    }
    const idCache = new Map<string, Set<string>>();
    for (const rel of files) pages.push(await checkPage(context, dir, rel, timeoutMs, idCache, plans.get(rel)));
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
  const sum = (k: "charts" | "images" | "math" | "links") => pages.reduce((s, p) => s + p[k], 0);
  return {
    siteDir: dir,
    pages,
    failures: pages.flatMap((p) => p.failures.map((f) => `${p.file}: ${f}`)),
    charts: sum("charts"),
    images: sum("images"),
    math: sum("math"),
    links: sum("links"),
    totalBytes: dirBytes(dir),
    screenshots,
  };
}

export function formatCheckReport(r: CheckReport): string {
  const lines = [`Browser check of ${r.siteDir}`];
  for (const p of r.pages) {
    lines.push(`  ${p.failures.length ? "FAIL" : "ok  "} ${p.file.padEnd(30)} ${p.charts} charts, ${p.images} images, ${p.math} math, ${p.links} links`);
  }
  lines.push(
    `${r.pages.length} pages checked: ${r.charts} charts drawn, ${r.images} images, ${r.math} math elements, ${r.links} internal links; site size ${formatBytes(r.totalBytes)}`,
  );
  for (const s of r.screenshots) lines.push(`screenshot: ${s}`);
  if (r.failures.length) {
    lines.push(`${r.failures.length} failure${r.failures.length === 1 ? "" : "s"}:`);
    for (const f of r.failures) lines.push(`  - ${f}`);
  } else {
    lines.push("all checks passed");
  }
  return lines.join("\n");
}

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("browser-check")
    .description("Open every page of the built site in headless Chromium and check it.")
    .argument("[site]", "built site", "build/site")
    .option("--screenshots <dir>", "where to save site-index.png and site-lesson.png", "build")
    .option("--no-screenshots", "take no screenshots")
    .option("--lesson <stem>", "lesson page for the lesson screenshots")
    .parse(argv);
  const o = program.opts<{ screenshots: string | false; lesson?: string }>();
  const report = await checkSite(program.args[0] ?? "build/site", {
    screenshotsDir: o.screenshots === false ? null : o.screenshots,
    lesson: o.lesson,
  });
  console.log(formatCheckReport(report));
  return report.failures.length ? 1 : 0;
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
