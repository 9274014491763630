/**
 * Loading a lesson's hidden tests (tests/exercises/<lesson>.hidden.ts, format in
 * lib/exercises/hidden.ts) for the grader: bundled once into JavaScript for the verdict process, and
 * evaluated here too, only to read each exercise's case names and points and check them against the
 * notebook (the sum of an exercise's cases' points must equal the cell's `points`).
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";
import { bundleTs } from "./bundle";
import type { Lesson } from "./lesson";
import { sha256 } from "./lesson";

export interface HiddenCaseInfo {
  name: string;
  points: number;
}

export interface HiddenSuite {
  file: string;
  /** The bundle (a function of `require` returning the module's exports). */
  js: string;
  sha256: string;
  cases: Map<string, HiddenCaseInfo[]>;
  problems: string[];
}

export function hiddenTestsPath(testsDir: string, stem: string): string {
  return path.join(testsDir, `${stem}.hidden.ts`);
}

/** Bundles and inspects a hidden-test file. Throws only if it cannot be read or compiled. */
export function loadHiddenTests(file: string): HiddenSuite {
  const text = readFileSync(file, "utf8");
  const js = bundleTs(file);
  const problems: string[] = [];
  const cases = new Map<string, HiddenCaseInfo[]>();
  let mod: any;
  try {
    mod = vm.runInThisContext(js, { filename: file })(createRequire(file));
  } catch (e) {
    problems.push(`${path.basename(file)}: cannot be loaded: ${(e as Error).message}`);
    return { file, js, sha256: sha256(text), cases, problems };
  }
  const tests = mod?.default ?? mod;
  if (!tests || typeof tests !== "object") {
    problems.push(`${path.basename(file)}: the default export must be an object { "<exercise id>": [cases] }`);
    return { file, js, sha256: sha256(text), cases, problems };
  }
  for (const [id, list] of Object.entries(tests)) {
    if (!Array.isArray(list) || list.length === 0) {
      problems.push(`${path.basename(file)}: "${id}" must be a non-empty array of test cases`);
      continue;
    }
    const infos: HiddenCaseInfo[] = [];
    const seen = new Set<string>();
    list.forEach((c: any, i: number) => {
      const where = `${path.basename(file)}: "${id}" case ${i + 1}`;
      if (!c || typeof c.name !== "string" || !c.name.trim()) problems.push(`${where} needs a name`);
      else if (seen.has(c.name)) problems.push(`${where}: duplicate case name "${c.name}"`);
      if (!(typeof c?.points === "number" && Number.isFinite(c.points) && c.points > 0)) problems.push(`${where} needs points > 0`);
      if (typeof c?.run !== "function") problems.push(`${where} needs a run(ctx) function`);
      seen.add(c?.name);
      infos.push({ name: String(c?.name ?? `case ${i + 1}`), points: typeof c?.points === "number" && c.points > 0 ? c.points : 0 });
    });
    cases.set(id, infos);
  }
  return { file, js, sha256: sha256(text), cases, problems };
}

/** Problems between a lesson's exercises and its hidden tests. */
export function checkHiddenAgainstLesson(lesson: Lesson, suite: HiddenSuite | null): string[] {
  const problems: string[] = [];
  if (!lesson.exercises.length) return problems;
  if (!suite) return [`lesson ${lesson.stem} has exercises but no hidden tests (tests/exercises/${lesson.stem}.hidden.ts)`];
  problems.push(...suite.problems);
  for (const ex of lesson.exercises) {
    const cases = suite.cases.get(ex.id);
    if (!cases) {
      problems.push(`exercise "${ex.id}" has no hidden tests`);
      continue;
    }
    const sum = cases.reduce((s, c) => s + c.points, 0);
    if (Math.abs(sum - ex.points) > 1e-9) problems.push(`exercise "${ex.id}": its hidden cases give ${sum} points but the cell's metadata says ${ex.points}`);
  }
  for (const id of suite.cases.keys()) {
    if (!lesson.exercises.some((e) => e.id === id)) problems.push(`hidden tests for "${id}", which is not an exercise of ${lesson.stem}`);
  }
  return problems;
}

export function findHiddenTests(testsDir: string, stem: string): string | null {
  const p = hiddenTestsPath(testsDir, stem);
  return existsSync(p) ? p : null;
}
