/**
 * The graded exercises of lessons 01–03, checked without a kernel: for every exercise cell, the
 * instructor's solution must pass the visible checks and every hidden test, and the student stub
 * (the BEGIN/END SOLUTION region replaced by `throw new Error("Exercise <id>: not implemented
 * yet")`) must fail the visible checks and every hidden test. Cells are transpiled with TypeScript
 * and evaluated with the notebook's lib namespaces in scope (exercise and check cells use nothing
 * else), and the hidden tests' points must add up to the cell's points.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import * as theory from "../../lib/theory";
import * as games from "../../lib/games";
import * as losses from "../../lib/losses";
import * as data from "../../lib/data";
import { check } from "../../lib/exercises";
import { createRng } from "../../lib/random";
import type { HiddenTestContext, HiddenTests } from "../../lib/exercises/hidden";
import hidden01 from "./01-value-function.hidden";
import hidden02 from "./02-vanishing-gradients.hidden";
import hidden03 from "./03-xy-game.hidden";

/** The parts of lib these lessons' exercise, check and hidden-test code use (the grader passes all of lib). */
const lib = { theory, games, losses, data, check, createRng } as unknown as HiddenTestContext["lib"];

const LESSONS: [string, HiddenTests][] = [
  ["01-value-function", hidden01],
  ["02-vanishing-gradients", hidden02],
  ["03-xy-game", hidden03],
];

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
  const nb = JSON.parse(readFileSync(path.join(__dirname, "../../notebooks", `${stem}.ipynb`), "utf8")) as { cells: Cell[] };
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

const js = (code: string) => ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None } }).outputText;

/** Evaluate cells with tf and lib's exports in scope; returns the exercise's top-level functions. */
function evaluate(cells: string[], names: string[]): Record<string, unknown> {
  const scope: Record<string, unknown> = { ...lib, tf };
  const body = `${cells.map(js).join("\n")}\nreturn { ${names.join(", ")} };`;
  return new Function(...Object.keys(scope), body)(...Object.values(scope)) as Record<string, unknown>;
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
        const exports = evaluate([e.code, e.checks], names); // throws if a visible check fails
        expect(await runHidden(hidden[e.id], exports)).toEqual(hidden[e.id].map(() => true));
      });

      it(`${e.id}: the stub fails the visible checks and every hidden test`, async () => {
        const student = stub(e.code, e.id);
        expect(student).toContain(`throw new Error("Exercise ${e.id}: not implemented yet");`);
        expect(student).not.toContain("BEGIN SOLUTION");
        const names = topLevelFunctions(student);
        expect(() => evaluate([student, e.checks], names)).toThrow(/not implemented yet/);
        const exports = evaluate([student], names);
        expect(await runHidden(hidden[e.id], exports)).toEqual(hidden[e.id].map(() => false));
      });
    }
  });
}
