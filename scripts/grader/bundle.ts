/**
 * A minimal TypeScript bundler for the grader's sandboxes: the verdict process, its worker threads
 * and the hidden tests run as plain JavaScript (no tsx loader in worker threads, and no reading of
 * on-disk code after grading has started), so their TypeScript is transpiled here, once, in the
 * grader, with `typescript`'s transpileModule, into one CommonJS program string:
 *
 *   (function (externalRequire) { … return exportsOfEntry; })
 *
 * Relative imports are bundled (resolved to .ts, /index.ts, .js); anything else (node:*, packages)
 * goes to `externalRequire`. Type-only imports vanish in transpilation.
 */
import { readFileSync, existsSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

function resolveLocal(fromDir: string, spec: string): string {
  const base = path.resolve(fromDir, spec);
  for (const cand of [base, `${base}.ts`, path.join(base, "index.ts"), `${base}.js`, base.replace(/\.js$/, ".ts")]) {
    if (existsSync(cand) && statSync(cand).isFile()) return cand;
  }
  throw new Error(`bundle: cannot resolve "${spec}" from ${fromDir}`);
}

export function transpileToCjs(source: string, fileName: string): string {
  const r = ts.transpileModule(source, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      esModuleInterop: true,
      sourceMap: false,
    },
  });
  const errors = (r.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) {
    throw new Error(`${fileName}: ${errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("; ")}`);
  }
  return r.outputText;
}

/** Bundles `entry` and its relative imports into one program string (see the header). */
export function bundleTs(entry: string): string {
  const modules = new Map<string, string>();
  const queue = [path.resolve(entry)];
  while (queue.length) {
    const file = queue.shift()!;
    if (modules.has(file)) continue;
    const js = file.endsWith(".json") ? `module.exports = ${readFileSync(file, "utf8")};` : transpileToCjs(readFileSync(file, "utf8"), file);
    // Rewrite relative requires to absolute keys.
    const rewritten = js.replace(/require\((["'])(\.{1,2}\/[^"']+)\1\)/g, (_m, _q, spec: string) => {
      const target = resolveLocal(path.dirname(file), spec);
      queue.push(target);
      return `__bundleRequire(${JSON.stringify(target)})`;
    });
    modules.set(file, rewritten);
  }
  const defs = [...modules.entries()]
    .map(([file, js]) => `${JSON.stringify(file)}: function (exports, require, module, __filename, __dirname, __bundleRequire) {\n${js}\n}`)
    .join(",\n");
  return `(function (externalRequire) {
"use strict";
const defs = {
${defs}
};
const cache = Object.create(null);
function __bundleRequire(file) {
  if (cache[file]) return cache[file].exports;
  const module = { exports: {} };
  cache[file] = module;
  defs[file].call(module.exports, module.exports, externalRequire, module, file, file.replace(/[\\\\/][^\\\\/]*$/, ""), __bundleRequire);
  return module.exports;
}
return __bundleRequire(${JSON.stringify(path.resolve(entry))});
})`;
}
