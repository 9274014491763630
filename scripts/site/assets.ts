/**
 * The site's static assets, all local (the site works offline from file:// and from any static
 * host; no script, stylesheet or font comes from the internet):
 *   assets/site.css, assets/site.js, assets/favicon.svg  - from scripts/site/assets/
 *   assets/katex/katex.min.css + fonts/                   - KaTeX's CSS and fonts (math is rendered at build time)
 *   assets/highlight.css                                  - a highlight.js theme
 *   assets/plotly.min.js                                  - ONE copy of plotly.js-dist, only if some page has a chart
 * plotly.js-dist ships unminified (10 MB); it is minified once with esbuild (tsx's own
 * dependency) to about 5 MB and cached in node_modules/.cache; if that fails it is copied as is.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Paths of the site's assets, relative to the site root. */
export const ASSET_PATHS = {
  css: "assets/site.css",
  js: "assets/site.js",
  favicon: "assets/favicon.svg",
  katexCss: "assets/katex/katex.min.css",
  highlightCss: "assets/highlight.css",
  plotly: "assets/plotly.min.js",
} as const;

function packageDir(name: string): string {
  // Resolve the package's entry, then walk up to the folder holding its package.json.
  let dir = path.dirname(require.resolve(name));
  while (!existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

function packageVersion(dir: string): string {
  return (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version;
}

/** plotly.js minified (cached per version), or null when esbuild is not available. */
async function minifiedPlotly(plotlyFile: string, version: string): Promise<string | null> {
  const nodeModules = path.dirname(packageDir("katex"));
  const cacheDir = path.join(nodeModules, ".cache", "gan-course-site");
  const cached = path.join(cacheDir, `plotly-${version}.min.js`);
  if (existsSync(cached)) return cached;
  try {
    const esbuild = (await import("esbuild")) as typeof import("esbuild");
    const { code } = await esbuild.transform(readFileSync(plotlyFile, "utf8"), { minify: true, legalComments: "eof" });
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${cached}.${process.pid}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, cached); // atomic: concurrent builds never see half a file
    return cached;
  } catch {
    return null;
  }
}

export interface AssetOptions {
  /** Copy plotly.js (only needed when a page has a chart). */
  plotly: boolean;
  /** Minify plotly.js with esbuild (default true; a plain copy otherwise). */
  minifyPlotly?: boolean;
}

/** Copies every asset into outDir; returns the relative paths written. */
export async function copyAssets(outDir: string, options: AssetOptions): Promise<string[]> {
  const written: string[] = [];
  const put = (from: string, rel: string) => {
    mkdirSync(path.dirname(path.join(outDir, rel)), { recursive: true });
    copyFileSync(from, path.join(outDir, rel));
    written.push(rel);
  };
  put(path.join(HERE, "assets", "site.css"), ASSET_PATHS.css);
  put(path.join(HERE, "assets", "site.js"), ASSET_PATHS.js);
  put(path.join(HERE, "assets", "favicon.svg"), ASSET_PATHS.favicon);

  const katexDist = path.join(packageDir("katex"), "dist");
  put(path.join(katexDist, "katex.min.css"), ASSET_PATHS.katexCss);
  cpSync(path.join(katexDist, "fonts"), path.join(outDir, "assets", "katex", "fonts"), { recursive: true });
  written.push("assets/katex/fonts/");

  put(path.join(packageDir("highlight.js"), "styles", "github.css"), ASSET_PATHS.highlightCss);

  if (options.plotly) {
    const dir = packageDir("plotly.js-dist");
    const file = path.join(dir, "plotly.js");
    const min = options.minifyPlotly === false ? null : await minifiedPlotly(file, packageVersion(dir));
    put(min ?? file, ASSET_PATHS.plotly);
  }
  return written;
}
