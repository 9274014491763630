/**
 * The graded exercises of every lesson, checked without a kernel: for every exercise cell of every
 * notebook in notebooks/, the instructor's solution must pass the visible checks and every hidden
 * test, and the student stub (the BEGIN/END SOLUTION region replaced by `throw new Error("Exercise
 * <id>: not implemented yet")`) must fail the visible checks and every hidden test. Cells are
 * transpiled with TypeScript and evaluated with lib's exports in scope (exercise and check cells
 * use nothing else), and the hidden tests' points must add up to the cell's points. The grader
 * (scripts/grader) does the same in isolates with a real kernel; this test catches a wrong hidden
 * test or solution in seconds.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import * as libExports from "../../lib";
import type { HiddenTestContext, HiddenTests } from "../../lib/exercises/hidden";

const lib = libExports as unknown as HiddenTestContext["lib"];
/** lib's named exports, as a notebook's `import { ... } from "gan-course"` sees them. */
const LIB_SCOPE = Object.fromEntries(Object.entries(libExports).filter(([name]) => name !== "default"));
/** A cell's own imports (e.g. `import { Matrix } from "ml-matrix"`) resolve from the repository, as in the kernel. */
const requireFromRepo = createRequire(path.join(__dirname, "../../package.json"));
const NOTEBOOKS = path.join(__dirname, "../../notebooks");

/** Every committed lesson with a hidden-tests file: [stem, its hidden tests]. */
const LESSONS: [string, HiddenTests][] = [];
for (const stem of readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")).map((f) => f.replace(/\.ipynb$/, "")).sort()) {
  const hiddenFile = path.join(__dirname, `${stem}.hidden.ts`);
  if (existsSync(hiddenFile)) LESSONS.push([stem, ((await import(hiddenFile)) as { default: HiddenTests }).default]);
}

interface Cell {
  cell_type: string;
  metadata: { gan_course?: { exercise?: { id: string; points: number }; checks?: string } };
  source: string[] | string;
}

interface Exercise {
  id: string;
  points: number;
  code: string;
  checks: string;
}

function exercisesOf(stem: string): Exercise[] {
  const nb = JSON.parse(readFileSync(path.join(NOTEBOOKS, `${stem}.ipynb`), "utf8")) as { cells: Cell[] };
  const src = (c: Cell) => (Array.isArray(c.source) ? c.source.join("") : c.source);
  const out: Exercise[] = [];
  nb.cells.forEach((cell, i) => {
    const ex = cell.metadata.gan_course?.exercise;
    if (!ex) return;
    const next = nb.cells[i + 1];
    if (next?.metadata.gan_course?.checks !== ex.id) throw new Error(`${stem}: exercise ${ex.id} is not followed by its checks cell`);
    out.push({ id: ex.id, points: ex.points, code: src(cell), checks: src(next) });
  });
  return out;
}

/** The student's version: each solution region becomes the stub. */
function stub(code: string, id: string): string {
  const re = /^([ \t]*)\/\/ BEGIN SOLUTION\n[\s\S]*?^[ \t]*\/\/ END SOLUTION[ \t]*$/gm;
  const out = code.replace(re, (_m, indent: string) => `${indent}throw new Error("Exercise ${id}: not implemented yet");`);
  if (out === code) throw new Error(`${id}: no BEGIN/END SOLUTION region`);
  return out;
}

function topLevelFunctions(code: string): string[] {
  const sf = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  return sf.statements.filter(ts.isFunctionDeclaration).map((f) => f.name!.text);
}

const js = (code: string) => ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS } }).outputText;

/** Evaluate cells with tf and lib's exports in scope; returns the exercise's top-level functions. */
function evaluate(cells: string[], names: string[]): Record<string, unknown> {
  const scope: Record<string, unknown> = { ...LIB_SCOPE, tf, require: requireFromRepo, exports: {} };
  const body = `${cells.map(js).join("\n")}\nreturn { ${names.join(", ")} };`;
  return new Function(...Object.keys(scope), body)(...Object.values(scope)) as Record<string, unknown>;
}

/** Run `f`; undefined if it needs variables of earlier notebook cells (a ReferenceError). */
function withoutNotebookState<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (err) {
    if (err instanceof ReferenceError) return undefined;
    throw err;
  }
}

async function runHidden(cases: HiddenTests[string], exports: Record<string, unknown>): Promise<boolean[]> {
  const results: boolean[] = [];
  for (const c of cases) {
    try {
      await c.run({ exports, tf, lib });
      results.push(true);
    } catch {
      results.push(false);
    }
  }
  return results;
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

it("finds the lessons with exercises", () => {
  expect(LESSONS.map(([stem]) => stem)).toContain("01-value-function");
});

for (const [stem, hidden] of LESSONS) {
  describe(`${stem} exercises`, () => {
    const exercises = exercisesOf(stem);

    it("every exercise has hidden tests worth its points, and every hidden test an exercise", () => {
      expect(exercises.length).toBeGreaterThan(0);
      expect(Object.keys(hidden).sort()).toEqual(exercises.map((e) => e.id).sort());
      for (const e of exercises) {
        expect(e.id.startsWith(`${stem}/`)).toBe(true);
        expect(hidden[e.id].reduce((s, c) => s + c.points, 0)).toBe(e.points);
        expect(e.checks.trim().endsWith(`check.passed("${e.id}");`)).toBe(true);
      }
    });

    for (const e of exercises) {
      it(`${e.id}: the solution passes the visible and hidden checks`, async () => {
        const names = topLevelFunctions(e.code);
        expect(names.length).toBeGreaterThan(0);
        // throws if a visible check fails; checks that read earlier cells' variables (a ReferenceError
        // here) are left to the notebook run, and only the exercise cell is evaluated
        const exports = withoutNotebookState(() => evaluate([e.code, e.checks], names)) ?? evaluate([e.code], names);
        expect(await runHidden(hidden[e.id], exports)).toEqual(hidden[e.id].map(() => true));
      });

      it(`${e.id}: the stub fails the visible checks and every hidden test`, async () => {
        const student = stub(e.code, e.id);
        expect(student).toContain(`throw new Error("Exercise ${e.id}: not implemented yet");`);
        expect(student).not.toContain("BEGIN SOLUTION");
        const names = topLevelFunctions(student);
        expect(() => evaluate([student, e.checks], names)).toThrow(/not implemented yet| is not defined/);
        const exports = evaluate([student], names);
        expect(await runHidden(hidden[e.id], exports)).toEqual(hidden[e.id].map(() => false));
      });
    }
  });
}
