// The autograder end to end on a fixture lesson (tests/fixtures/grader): the submissions the issue
// lists - correct, empty, one exercise wrong, a cell that loops forever, process.exit, a throw at
// import time, gigantic output, a memory hog, overrides of Math / JSON / Object.prototype / a test
// helper / a lib export / process, an edited locked cell, deleted and moved cells, files that are
// not notebooks, another lesson's notebook - graded in two batches with --jobs 2 (one with the
// feedback run, one verdicts only), then asserted case by case; plus the CLI and the CSV.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectSubmissions, gradeBatch } from "../../scripts/grader/batch";
import { GradingContext } from "../../scripts/grader/context";
import type { GradeResult } from "../../scripts/grader/grade";
import { buildRelease } from "../../scripts/grader/release";
import { gradescopeResults } from "../../scripts/grader/results";

const REPO = path.resolve(__dirname, "..", "..");
const FIXTURES = path.join(REPO, "tests", "fixtures", "grader");
const NOTEBOOKS = path.join(FIXTURES, "notebooks");
const HIDDEN = path.join(FIXTURES, "exercises");
const LESSON = "90-fixture";

const SOLUTIONS = {
  "90-fixture/add-one": "function addOne(x: number): number {\n  return x + 1;\n}",
  "90-fixture/shift": "function shiftTensor(t: tf.Tensor): tf.Tensor {\n  return tf.add(t, offset);\n}",
  "90-fixture/mean": "function meanOf(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0) / xs.length;\n}",
};
const WRONG = {
  "90-fixture/add-one": "function addOne(x: number): number {\n  return x + 2;\n}",
  "90-fixture/shift": "function shiftTensor(t: tf.Tensor): tf.Tensor {\n  return t;\n}",
  "90-fixture/mean": "function meanOf(xs: number[]): number {\n  return 42;\n}",
};

type Nb = { cells: any[]; metadata: any; nbformat: number; nbformat_minor: number };
let tmp: string;
let release: Nb;
let ctx: GradingContext;
const results = new Map<string, GradeResult>();

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));
const code = (source: string, id: string) => ({ cell_type: "code", id, metadata: {}, source, outputs: [], execution_count: null });
function setExercise(nb: Nb, id: string, source: string): void {
  const cell = nb.cells.find((c) => c.metadata?.gan_course?.exercise?.id === id);
  cell.source = source;
}
function solved(nb: Nb, overrides: Partial<Record<keyof typeof SOLUTIONS, string>> = {}): Nb {
  for (const [id, src] of Object.entries({ ...SOLUTIONS, ...overrides })) setExercise(nb, id, src);
  return nb;
}
function insertAfter(nb: Nb, cellId: string, ...cells: any[]): void {
  const i = nb.cells.findIndex((c) => c.id === cellId);
  nb.cells.splice(i + 1, 0, ...cells);
}
function cheat(prelude: string): Nb {
  const nb = clone(release);
  for (const [id, src] of Object.entries(WRONG)) setExercise(nb, id, `${prelude}\n${src}`);
  return nb;
}

/** Submissions graded with the feedback run. */
function runSubmissions(): Record<string, Nb | string> {
  const correct = solved(clone(release));

  const oneWrong = solved(clone(release), { "90-fixture/shift": "function shiftTensor(t: tf.Tensor): tf.Tensor {\n  return tf.add(t, offset - 1);\n}" });

  const loop = solved(clone(release), {
    "90-fixture/add-one": "function addOne(x: number): number {\n  while (true) {}\n}",
    "90-fixture/mean": `${SOLUTIONS["90-fixture/mean"]}\nwhile (true) {}`,
  });
  insertAfter(loop, "f2-offset", code("while (true) {}", "scratch-loop"));

  const exit = solved(clone(release), {
    "90-fixture/add-one": `${SOLUTIONS["90-fixture/add-one"]}\nprocess.exit(3);`,
    "90-fixture/mean": "function meanOf(xs: number[]): number {\n  process.exit(0);\n  return 0;\n}",
  });

  const importThrow = solved(clone(release), { "90-fixture/mean": `import { helper } from "no-such-module";\n${SOLUTIONS["90-fixture/mean"]}` });
  insertAfter(importThrow, "f1-setup", code('throw new Error("boom at import time");', "scratch-throw"));

  const bigOutput = solved(clone(release), {
    "90-fixture/add-one": 'function addOne(x: number): number {\n  for (let i = 0; i < 500; i++) console.log("x".repeat(100));\n  return x + 1;\n}',
  });
  insertAfter(
    bigOutput,
    "f2-offset",
    code('for (let i = 0; i < 150; i++) console.log("spam ".repeat(2000));', "scratch-spam"),
    code('console.log("one line of 1.6 MB ".repeat(90_000));', "scratch-line"),
  );

  // The student edits the locked offset cell and writes shiftTensor against the edited value: the
  // grader restores the cell, so shiftTensor is wrong. Also an edited checks cell, a deleted markdown cell.
  const edited = solved(clone(release), { "90-fixture/shift": "function shiftTensor(t: tf.Tensor): tf.Tensor {\n  return tf.add(t, offset + 1);\n}" });
  edited.cells.find((c) => c.id === "f2-offset").source = "const offset = 9;";
  edited.cells.find((c) => c.id === "f5-add-one-checks").source = 'check.passed("90-fixture/add-one");';
  edited.cells = edited.cells.filter((c) => c.id !== "f9-ex3");

  // shift deleted; mean (with its checks) moved first; add-one lost its exercise metadata.
  const deleted = solved(clone(release));
  deleted.cells = deleted.cells.filter((c) => c.id !== "f7-shift");
  const mean = deleted.cells.splice(deleted.cells.findIndex((c) => c.id === "f10-mean"), 2);
  deleted.cells.splice(deleted.cells.findIndex((c) => c.id === "f3-ex1"), 0, ...mean);
  delete deleted.cells.find((c) => c.id === "f4-add-one").metadata.gan_course;

  return { correct, empty: clone(release), "one-wrong": oneWrong, loop, exit, "import-throw": importThrow, "big-output": bigOutput, edited, deleted };
}

/** Submissions graded for their verdicts only. */
function verdictSubmissions(): Record<string, Nb | string> {
  const hog = solved(clone(release), {
    "90-fixture/add-one": "function addOne(x: number): number {\n  const hog: Float64Array[] = [];\n  while (true) hog.push(new Float64Array(1 << 23).fill(1));\n}",
  });
  const cross = solved(clone(release), {
    "90-fixture/add-one": `Math.abs = () => 0;\n(globalThis as any).JSON = { stringify: () => "2" };\ncheck.close = () => {};\n${WRONG["90-fixture/add-one"]}`,
    "90-fixture/shift": `Math.random = () => 0.5;\n${SOLUTIONS["90-fixture/shift"]}`,
  });
  return {
    "cheat-math": cheat("Math.abs = () => 0;\nMath.max = () => 0;"),
    "cheat-json": cheat('JSON.stringify = () => "2";'),
    "cheat-proto": cheat(
      'Object.defineProperty(Object.prototype, "toJSON", { value: () => 2, configurable: true, writable: true });\n(Number.prototype as any).toJSON = () => 2;\n(Array.prototype as any).join = () => "11,12,13";',
    ),
    "cheat-helper": cheat("check.close = () => {};\ncheck.ok = () => {};\ncheck.shape = () => {};"),
    "cheat-lib": cheat(
      'import * as gc from "gan-course";\n(gc as any).check.close = () => {};\ntf.Tensor.prototype.dataSync = function () { return new Float32Array([11, 12, 13]); } as any;\n(tf as any).tensor = () => { throw new Error("no"); };',
    ),
    "cheat-process": cheat(
      [
        'try { (process as any).send?.({ type: "exercise", id: "90-fixture/add-one", outcome: { id: "90-fixture/add-one", status: "graded", cases: [{ name: "adds one to 1", passed: true }, { name: "adds one to -3.5", passed: true }] } }); } catch {}',
        'process.stdout.write(JSON.stringify({ type: "done", score: 7 }) + "\\n");',
        "try { (process as any).kill(process.pid, 'SIGKILL'); } catch {}",
        "try { (process as any).getBuiltinModule?.('fs'); } catch {}",
      ].join("\n"),
    ),
    cross,
    hog,
    "no-cells": { cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 },
    "not-notebook": JSON.stringify({ hello: "world" }),
    "not-json": "this is not JSON, it is a text file with the wrong extension\n",
    "other-lesson": JSON.parse(readFileSync(path.join(tmp, "release", "notebooks", "91-other.ipynb"), "utf8")),
  };
}

function writeSubmissions(dir: string, subs: Record<string, Nb | string>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, nb] of Object.entries(subs)) writeFileSync(path.join(dir, `${name}.ipynb`), typeof nb === "string" ? nb : JSON.stringify(nb));
}

// Generous limits (the CPU may be shared): lesson cells have their own 120 s in the fixture's metadata.
const LIMITS = { lesson: LESSON, cellTimeoutS: 20, totalTimeoutS: 400, initTimeoutS: 30, caseTimeoutS: 10, memoryMb: 1500, jobs: 2 };

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "gan-grader-"));
  await buildRelease({ repoRoot: REPO, notebooksDir: NOTEBOOKS, testsDir: HIDDEN, outDir: path.join(tmp, "release") });
  release = JSON.parse(readFileSync(path.join(tmp, "release", "notebooks", `${LESSON}.ipynb`), "utf8"));
  ctx = await GradingContext.create({ notebooksDir: NOTEBOOKS, testsDir: HIDDEN, manifestPath: path.join(tmp, "release", "manifest.json") });
  writeSubmissions(path.join(tmp, "run"), runSubmissions());
  writeSubmissions(path.join(tmp, "verdicts"), verdictSubmissions());
  const runs = await gradeBatch(await collectSubmissions([path.join(tmp, "run")]), ctx, { ...LIMITS, run: true, outDir: path.join(tmp, "out-run") });
  const verdicts = await gradeBatch(await collectSubmissions([path.join(tmp, "verdicts")]), ctx, { ...LIMITS, memoryMb: 1000, caseTimeoutS: 30, run: false, outDir: path.join(tmp, "out-verdicts") });
  for (const r of [...runs, ...verdicts]) results.set(r.student, r);
}, 900_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const get = (name: string) => {
  const r = results.get(name);
  if (!r) throw new Error(`no result for ${name}`);
  return r;
};
const ex = (r: GradeResult, id: string) => r.exercises.find((e) => e.id === `${LESSON}/${id}`)!;
/** A cell's status in the feedback run, and the run's report for the assertion message. */
const cellStatus = (r: GradeResult, id: string): [string | undefined, string] => [
  r.feedback?.cells.find((c) => c.id === id)?.status,
  JSON.stringify({ cells: r.feedback?.cells.map((c) => [c.id, c.status, c.error, Math.round(c.seconds)]), notes: r.notes }),
];

describe("grading submissions of the fixture lesson", () => {
  it("gives a correct submission full marks, and its notebook runs cleanly", () => {
    const r = get("correct");
    expect(r.status).toBe("graded");
    expect([r.score, r.maxScore]).toEqual([7, 7]);
    expect(r.lockedChanges).toEqual([]);
    expect(r.feedback!.ok, cellStatus(r, "")[1]).toBe(true);
    const gs = gradescopeResults(r);
    expect(gs.score).toBe(7);
    expect(gs.max_score).toBe(7);
    expect(gs.tests).toHaveLength(7);
    for (const t of gs.tests) expect(t).toMatchObject({ score: t.max_score, output: "passed", visibility: "visible" });
    // What the grader wrote for this student.
    const written = JSON.parse(readFileSync(path.join(tmp, "out-run", "correct", "results.json"), "utf8"));
    expect(written.score).toBe(7);
    expect(existsSync(path.join(tmp, "out-run", "correct", "executed.ipynb"))).toBe(true);
  });

  it("gives the untouched release (stubs) zero without crashing, naming the stub", () => {
    const r = get("empty");
    expect(r.status).toBe("graded");
    expect(r.score).toBe(0);
    for (const e of r.exercises) {
      expect(e.cases.every((c) => !c.passed)).toBe(true);
      expect(e.cases[0].message).toMatch(new RegExp(`Exercise ${e.id}: not implemented yet`));
    }
  });

  it("takes off only the wrong exercise's points and names its failing case", () => {
    const r = get("one-wrong");
    expect(r.score).toBe(4);
    expect(ex(r, "add-one").score).toBe(2);
    expect(ex(r, "mean").score).toBe(2);
    const shift = ex(r, "shift");
    expect(shift.score).toBe(0);
    expect(shift.feedback).toContain('first: "shifts a vector by offset"');
    expect(shift.cases[0].message).toMatch(/shiftTensor\(\[1, 2, 3\]\): expected \[11, 12, 13\], got \[10, 11, 12\]/);
  });

  it("stops cells that loop forever at their time limit and still grades the other exercises", () => {
    const r = get("loop");
    expect(ex(r, "shift").score).toBe(3);
    expect(ex(r, "add-one").score).toBe(0);
    expect(ex(r, "add-one").cases[0].message).toMatch(/time limit/);
    expect(ex(r, "mean").score).toBe(0);
    expect(ex(r, "mean").feedback).toMatch(/did not finish running within 30 s/);
    const scratch = r.feedback!.cells.find((c) => c.id === "scratch-loop")!;
    expect(scratch.status).toBe("timeout");
    expect(scratch.error).toMatch(/time limit of 20 s/);
    // The kernel survived the interrupt: the cells after the loop ran.
    expect(...cellStatus(r, "f12-end")).toBe("ok");
  });

  it("survives process.exit in a cell and in an exercise", () => {
    const r = get("exit");
    expect(r.status).toBe("graded");
    expect(ex(r, "add-one").score).toBe(2); // process.exit at the cell's top level: the function is still graded
    expect(ex(r, "add-one").notes.join(" ")).toMatch(/process\.exit is not available to graded code/);
    expect(ex(r, "shift").score).toBe(3);
    expect(ex(r, "mean").score).toBe(0);
    expect(ex(r, "mean").cases[0].message).toMatch(/process\.exit is not available to graded code/);
    const died = r.feedback!.cells.find((c) => c.id === "f4-add-one")!;
    expect(died.status).toBe("died");
    expect(died.error).toMatch(/exited with code 3/);
    expect(r.feedback!.cells.find((c) => c.id === "f12-end")!.status).toBe("not-run");
    expect(r.notes.join(" ")).toMatch(/the notebook stopped at cell/);
  });

  it("grades a notebook with cells that throw at import time", () => {
    const r = get("import-throw");
    expect(r.score).toBe(7);
    expect(ex(r, "mean").notes.join(" ")).toMatch(/cannot import "no-such-module"/);
    const thrown = r.feedback!.cells.find((c) => c.id === "scratch-throw")!;
    expect(thrown.status).toBe("error");
    expect(thrown.error).toMatch(/boom at import time/);
    expect(...cellStatus(r, "f12-end")).toBe("ok");
  });

  it("truncates gigantic output, and the notebook goes on", () => {
    const r = get("big-output");
    expect(r.score).toBe(7);
    expect(...cellStatus(r, "scratch-spam")).toBe("ok");
    expect(...cellStatus(r, "scratch-line")).toBe("ok");
    expect(...cellStatus(r, "f12-end")).toBe("ok");
    const executed = JSON.parse(readFileSync(path.join(tmp, "out-run", "big-output", "executed.ipynb"), "utf8"));
    const text = (id: string) => executed.cells.find((c: any) => c.id === id).outputs.map((o: any) => [].concat(o.text ?? []).join("")).join("");
    expect(text("scratch-spam")).toMatch(/characters truncated by the grader/);
    expect(text("scratch-spam").length).toBeGreaterThan(10_000);
    expect(text("scratch-spam").length).toBeLessThan(30_000);
    expect(text("scratch-line")).toMatch(/characters truncated by the grader/);
    expect(text("scratch-line").length).toBeLessThan(30_000);
  });

  it("restores an edited locked cell, reports it, and grades against the restored cell", () => {
    const r = get("edited");
    expect(r.lockedChanges.map((c) => [c.cellId, c.kind]).sort()).toEqual([
      ["f2-offset", "edited"],
      ["f5-add-one-checks", "edited"],
      ["f9-ex3", "deleted"],
    ]);
    expect(ex(r, "shift").score).toBe(0); // offset + 1 with the restored offset = 10 gives 11, not 10
    expect(ex(r, "add-one").score + ex(r, "mean").score).toBe(4);
    const gs = gradescopeResults(r);
    expect(gs.tests.find((t) => t.name === "Locked cells")!.output).toMatch(/f2-offset\): edited/);
  });

  it("grades a deleted exercise as missing and finds a moved one and one without metadata", () => {
    const r = get("deleted");
    const shift = ex(r, "shift");
    expect(shift.status).toBe("missing");
    expect(shift.score).toBe(0);
    expect(shift.feedback).toMatch(/exercise cell not found/);
    expect(ex(r, "add-one")).toMatchObject({ score: 2, foundBy: "cell-id" });
    expect(ex(r, "mean")).toMatchObject({ score: 2, foundBy: "metadata" });
    expect(r.notes.join(" ")).toMatch(/moved/);
  });
});

describe("submissions that try to pass by overriding what the tests use", () => {
  for (const name of ["cheat-math", "cheat-json", "cheat-proto", "cheat-helper", "cheat-lib", "cheat-process"]) {
    it(`${name}: wrong answers still score zero`, () => {
      const r = get(name);
      expect(r.status).toBe("graded");
      expect(r.exercises.map((e) => e.score)).toEqual([0, 0, 0]);
      expect(r.exercises.every((e) => e.cases.every((c) => !c.passed && c.message))).toBe(true);
    });
  }

  it("a patch in one exercise cannot change another exercise's verdict", () => {
    const r = get("cross");
    expect(ex(r, "add-one").score).toBe(0);
    expect(ex(r, "add-one").cases[0].message).toMatch(/addOne\(1\): expected 2, got 3/);
    expect(ex(r, "shift").score).toBe(3);
    expect(ex(r, "mean").score).toBe(2);
  });

  it("fails a memory hog at the memory limit and grades the remaining exercises in a fresh process", () => {
    const r = get("hog");
    expect(ex(r, "add-one").score).toBe(0);
    expect(ex(r, "add-one").cases[0].message).toMatch(/memory/i);
    expect(ex(r, "shift").score).toBe(3);
    expect(ex(r, "mean").score).toBe(2);
  });
});

describe("files that cannot be graded as this lesson", () => {
  it("a notebook without cells gets zero and says why", () => {
    const r = get("no-cells");
    expect(r.score).toBe(0);
    expect(r.exercises.every((e) => e.status === "missing")).toBe(true);
    expect(r.notes.join(" ")).toMatch(/none of lesson 90-fixture's cells/);
  });

  it("a JSON file that is not a notebook, and a file that is not JSON", () => {
    const a = get("not-notebook");
    expect([a.status, a.score, a.maxScore]).toEqual(["invalid", 0, 7]);
    expect(a.message).toMatch(/not a Jupyter notebook/);
    const b = get("not-json");
    expect([b.status, b.score]).toEqual(["invalid", 0]);
    expect(b.message).toMatch(/not valid JSON/);
    // Gradescope still gets one failed test per case, with the reason.
    const gs = gradescopeResults(b);
    expect(gs.tests).toHaveLength(7);
    expect(gs.tests.every((t) => t.score === 0 && /not valid JSON/.test(t.output))).toBe(true);
  });

  it("another lesson's notebook gets zero with a message naming both lessons", () => {
    const r = get("other-lesson");
    expect(r.status).toBe("wrong-lesson");
    expect(r.score).toBe(0);
    expect(r.message).toMatch(/lesson 91-other, not of 90-fixture/);
  });

  it("writes a CSV of scores per student and exercise", () => {
    const csv = readFileSync(path.join(tmp, "out-run", "scores.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe("student,file,lesson,status,score,max_score,90-fixture/add-one,90-fixture/shift,90-fixture/mean,message");
    expect(csv).toContain("correct,correct.ipynb,90-fixture,graded,7,7,2,3,2,");
    expect(csv.find((l) => l.startsWith("one-wrong,"))).toBe("one-wrong,one-wrong.ipynb,90-fixture,graded,4,7,2,0,2,");
    const v = readFileSync(path.join(tmp, "out-verdicts", "scores.csv"), "utf8");
    expect(v).toMatch(/^other-lesson,other-lesson\.ipynb,90-fixture,wrong-lesson,0,7,0,0,0,/m);
  });
});

describe("npm run grade", () => {
  it("grades one notebook from the command line into --out, never crashing on a bad file", () => {
    const out = path.join(tmp, "cli");
    const file = path.join(tmp, "verdicts", "not-json.ipynb");
    const args = ["tsx", "scripts/grade.ts", file, "--out", out, "--lesson", LESSON, "--notebooks", NOTEBOOKS, "--tests", HIDDEN, "--manifest", path.join(tmp, "release", "manifest.json"), "--no-run", "-q"];
    execFileSync("npx", args, { cwd: REPO, encoding: "utf8" });
    const res = JSON.parse(readFileSync(path.join(out, "results.json"), "utf8"));
    expect(res.score).toBe(0);
    expect(res.output).toMatch(/not valid JSON/);
    expect(readFileSync(path.join(out, "summary.txt"), "utf8")).toMatch(/0\/7 points/);
  });
});
