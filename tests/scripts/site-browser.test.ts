// Builds the fixture site into a temp folder and runs the browser check on it (headless Chromium
// from file://). Skipped, with a message, only when Chromium is not installed (CI installs it).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite } from "../../scripts/site/build";
import { CHROMIUM_ARGS, checkSite, chromiumPath, formatCheckReport, type CheckReport } from "../../scripts/site/browser-check";
import { writeFixtureInput } from "../fixtures/site/generate";

const CHROMIUM = chromiumPath();
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`site-browser.test.ts: SKIPPED — Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
}

describe.skipIf(!hasChromium)(`site in a browser (Chromium at ${CHROMIUM})`, () => {
  let tmp: string;
  let site: string;
  let report: CheckReport;

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), "site-browser-test-"));
    site = path.join(tmp, "site");
    await buildSite({ ...writeFixtureInput(path.join(tmp, "in")), outDir: site });
    report = await checkSite(site, { screenshotsDir: path.join(tmp, "shots") });
  });

  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("passes every check on every page", () => {
    expect(report.failures, formatCheckReport(report)).toEqual([]);
    expect(report.pages.map((p) => p.file)).toEqual(["index.html", "01-intro.html", "02-edge-cases.html", "04-long-log.html"]);
    expect(report.charts).toBe(2);
    const intro = report.pages[1];
    expect(intro.charts).toBe(2);
    expect(intro.math).toBeGreaterThanOrEqual(10);
    expect(intro.images).toBeGreaterThanOrEqual(3); // two outputs, an attachment, the logo
    expect(report.links).toBeGreaterThan(50);
  });

  it("saves screenshots of the index and of a lesson", () => {
    const png = [0x89, 0x50, 0x4e, 0x47];
    expect(report.screenshots.map((s) => path.basename(s))).toEqual(["site-index.png", "site-lesson.png", "site-lesson-phone.png"]);
    for (const s of report.screenshots) {
      const bytes = readFileSync(s);
      expect([...bytes.subarray(0, 4)]).toEqual(png);
      expect(bytes.length).toBeGreaterThan(10_000);
    }
  });

  it("runs none of the scripts and handlers hidden in outputs", async () => {
    const userDataDir = mkdtempSync(path.join(os.tmpdir(), "site-browser-xss-"));
    const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    try {
      const page = await context.newPage();
      await page.goto(pathToFileURL(path.join(site, "02-edge-cases.html")).href);
      await page.waitForTimeout(200);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator("body").isVisible()).toBe(true); // the <style> hiding body was removed
      expect(await page.locator(".output-html table").count()).toBe(1);
    } finally {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    }
  });

  it("reports broken pages with a clear list", async () => {
    const bad = path.join(tmp, "bad");
    mkdirSync(path.join(bad, "assets"), { recursive: true });
    writeFileSync(path.join(bad, "assets", "boom.js"), 'console.error("boom"); undefinedFunction();');
    writeFileSync(
      path.join(bad, "index.html"),
      `<!doctype html><html><head><meta name="viewport" content="width=device-width"></head>
<body data-math="2" data-charts="1">
<p>raw $$x^2$$ left</p><a href="missing.html">gone</a><a href="#nowhere">anchor</a>
<img src="missing.png" alt=""><div class="plotly-chart" data-figure="f"></div>
<div style="width: 2000px">too wide</div><script src="assets/boom.js"></script></body></html>`,
    );
    const r = await checkSite(bad, { screenshotsDir: null, timeoutMs: 1000 });
    const text = r.failures.join("\n");
    expect(text).toContain("console error: boom");
    expect(text).toContain("page error: undefinedFunction is not defined");
    expect(text).toContain("broken a link: missing.html");
    expect(text).toContain("link to a missing anchor: index.html#nowhere");
    expect(text).toContain("image did not load");
    expect(text).toContain("chart # not drawn");
    expect(text).toContain("expected 2 math elements, found 0");
    expect(text).toContain('raw TeX in the text: "raw $$x^2$$ left"');
    expect(text).toMatch(/page is \d+px wide on a 390px phone screen/);
    expect(formatCheckReport(r)).toMatch(/failures:\n {2}- index.html: /);
  });
});
