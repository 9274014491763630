/**
 * Where the repository's data lives, found from lib's own location (lib/dist/... when compiled,
 * lib/... under tsx), so that notebooks, scripts and tests agree whatever their working folder.
 */
import * as fs from "fs";
import * as path from "path";

/** <repo>/data: the nearest ancestor of lib that holds both data/ and lib/; else ./data. */
export function dataDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    if (fs.existsSync(path.join(dir, "data")) && fs.existsSync(path.join(dir, "lib"))) return path.join(dir, "data");
    dir = path.dirname(dir);
  }
  return path.resolve("data");
}
