/**
 * Makes `require` read modules from an in-memory snapshot instead of the disk, with V8 code caches.
 *
 * The grader reads the JavaScript of TensorFlow.js and gan-course once, before any submission runs
 * (scripts/grader/snapshot.ts). The verdict process and its workers load those modules from that
 * copy, so a submission that rewrites node_modules or lib/dist on disk (in its notebook run, or from
 * an exercise) cannot change the code that judges it or anyone graded after it. Files not in the
 * snapshot load from disk as usual.
 *
 * Each module is compiled as node does (Module.wrap + vm.Script) but with `cachedData` when a code
 * cache is known: a fresh isolate (every exercise gets one) then skips most of the parsing and
 * compiling of TensorFlow.js's 7 MB of JavaScript. `collect()` returns caches for the modules that
 * had none, made after they ran (so they include the functions that ran).
 */
import Module from "node:module";
import path from "node:path";
import vm from "node:vm";

type Loader = (module: any, filename: string) => void;

export interface InstalledSnapshot {
  /** Code caches of the modules compiled without one. */
  collect(): Map<string, Buffer>;
  /** How many modules came from the snapshot, and how many of those used a code cache. */
  stats(): { loaded: number; cached: number; rejected: number };
}

function makeRequire(mod: any): NodeJS.Require {
  const M = Module as any;
  const require = ((id: string) => mod.require(id)) as any;
  require.resolve = (request: string, options?: { paths?: string[] }) => M._resolveFilename(request, mod, false, options);
  require.resolve.paths = (request: string) => M._resolveLookupPaths(request, mod);
  require.main = process.mainModule;
  require.extensions = M._extensions;
  require.cache = M._cache;
  return require;
}

export function installSnapshot(files: Map<string, string> | undefined, codeCache?: Map<string, Buffer>): InstalledSnapshot {
  const compiled = new Map<string, vm.Script>();
  let loaded = 0;
  let cached = 0;
  let rejected = 0;
  const result: InstalledSnapshot = {
    collect() {
      const out = new Map<string, Buffer>();
      for (const [f, s] of compiled) {
        try {
          out.set(f, s.createCachedData());
        } catch {
          /* not cacheable */
        }
      }
      return out;
    },
    stats: () => ({ loaded, cached, rejected }),
  };
  if (!files || files.size === 0) return result;
  const exts = (Module as unknown as { _extensions: Record<string, Loader> })._extensions;
  const js = exts[".js"];
  const json = exts[".json"];
  exts[".js"] = function (this: unknown, module: any, filename: string) {
    const src = files.get(filename);
    if (src === undefined) return js.call(this, module, filename);
    loaded++;
    const cachedData = codeCache?.get(filename);
    let body = src.charCodeAt(0) === 0xfeff ? src.slice(1) : src;
    if (body.startsWith("#!")) body = `//${body}`;
    const script = new vm.Script(Module.wrap(body), { filename, cachedData });
    if (cachedData && !script.cachedDataRejected) cached++;
    else {
      if (cachedData) rejected++;
      compiled.set(filename, script);
    }
    const fn = script.runInThisContext({ displayErrors: true });
    return fn.call(module.exports, module.exports, makeRequire(module), module, filename, path.dirname(filename));
  };
  exts[".json"] = function (this: unknown, module: any, filename: string) {
    const src = files.get(filename);
    if (src !== undefined) {
      module.exports = JSON.parse(src.charCodeAt(0) === 0xfeff ? src.slice(1) : src);
      return;
    }
    return json.call(this, module, filename);
  };
  return result;
}
