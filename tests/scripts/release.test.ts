// The student release (scripts/grader/release.ts, scripts/release.ts) and its check on the fixture
// lesson: stubs, cleared outputs, marked and checksummed cells, the instructor-side manifest, the
// refusal to release a broken lesson, and the check that the release fails only at its stubs while
// the instructor's version gets full marks.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GradingContext } from "../../scripts/grader/context";
import { cellChecksum } from "../../scripts/grader/lesson";
import { buildRelease, ReleaseError } from "../../scripts/grader/release";
import { checkRelease } from "../../scripts/grader/release-check";

const REPO = path.resolve(__dirname, "..", "..");
const FIXTURES = path.join(REPO, "tests", "fixtures", "grader");
const NOTEBOOKS = path.join(FIXTURES, "notebooks");
const HIDDEN = path.join(FIXTURES, "exercises");

let tmp: string;
const src = (c: { source: string | string[] }) => [].concat(c.source as any).join("");

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "gan-release-"));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("npm run release", () => {
  it("writes stubbed, output-free, marked notebooks and an instructor-side manifest", () => {
    const out = path.join(tmp, "release");
    const stdout = execFileSync("npx", ["tsx", "scripts/release.ts", "--notebooks", NOTEBOOKS, "--tests", HIDDEN, "--out", out], { cwd: REPO, encoding: "utf8" });
    expect(stdout).toMatch(/released 90-fixture: 3 exercise\(s\), 7 point\(s\), 10 locked cell\(s\)/);
    const nb = JSON.parse(readFileSync(path.join(out, "notebooks", "90-fixture.ipynb"), "utf8"));
    const instructor = JSON.parse(readFileSync(path.join(NOTEBOOKS, "90-fixture.ipynb"), "utf8"));
    expect(nb.cells.map((c: any) => c.id)).toEqual(instructor.cells.map((c: any) => c.id));
    const addOne = nb.cells.find((c: any) => c.id === "f4-add-one");
    expect(src(addOne)).toBe('function addOne(x: number): number {\n  throw new Error("Exercise 90-fixture/add-one: not implemented yet");\n}');
    expect(addOne.metadata).toMatchObject({ deletable: false, editable: true, gan_course: { exercise: { id: "90-fixture/add-one", points: 2 } } });
    for (const c of nb.cells) {
      if (c.cell_type === "code") expect([c.outputs, c.execution_count]).toEqual([[], null]);
      expect(src(c)).not.toMatch(/SOLUTION|return x \+ 1|xs\.reduce/);
      if (!c.metadata.gan_course.exercise) expect(c.metadata).toMatchObject({ editable: false, deletable: false, gan_course: { locked: true } });
    }
    const manifest = JSON.parse(readFileSync(path.join(out, "manifest.json"), "utf8"));
    const entry = manifest.lessons["90-fixture"];
    // The notebook's own record of the checksums and the manifest agree, and match the cells.
    expect(nb.metadata.gan_course.locked).toEqual(entry.locked);
    expect(nb.metadata.gan_course.lesson).toBe("90-fixture");
    for (const c of nb.cells.filter((x: any) => !x.metadata.gan_course.exercise)) expect(entry.locked[c.id]).toBe(cellChecksum(c.cell_type, src(c)));
    expect(Object.keys(entry.locked)).toHaveLength(10);
    expect(entry.exercises.map((e: any) => [e.id, e.points, e.cases.length])).toEqual([
      ["90-fixture/add-one", 2, 2],
      ["90-fixture/shift", 3, 3],
      ["90-fixture/mean", 2, 2],
    ]);
    expect(JSON.stringify(manifest)).not.toMatch(/return x \+ 1|xs\.reduce/);
  });

  it("writes nothing when a lesson is broken, and says what is wrong", async () => {
    const nbs = path.join(tmp, "broken", "notebooks");
    const hidden = path.join(tmp, "broken", "exercises");
    cpSync(NOTEBOOKS, nbs, { recursive: true });
    cpSync(HIDDEN, hidden, { recursive: true });
    const file = path.join(hidden, "90-fixture.hidden.ts");
    writeFileSync(file, readFileSync(file, "utf8").replace('name: "adds one to -3.5", points: 1', 'name: "adds one to -3.5", points: 2'));
    const out = path.join(tmp, "broken", "release");
    const err = await buildRelease({ repoRoot: REPO, notebooksDir: nbs, testsDir: hidden, outDir: out }).catch((e) => e);
    expect(err).toBeInstanceOf(ReleaseError);
    expect(err.problems).toEqual(['90-fixture: exercise "90-fixture/add-one": its hidden cases give 3 points but the cell\'s metadata says 2']);
    expect(existsSync(out)).toBe(false);
  });
});

describe("npm run release -- --check", () => {
  it("runs the release as is (fails only at the stubs, zero points) and the instructor version (full marks)", async () => {
    const out = path.join(tmp, "checked");
    const released = await buildRelease({ repoRoot: REPO, notebooksDir: NOTEBOOKS, testsDir: HIDDEN, outDir: out, lessons: ["90-fixture"] });
    const ctx = await GradingContext.create({ notebooksDir: NOTEBOOKS, testsDir: HIDDEN, manifestPath: released.manifestPath });
    const r = await checkRelease(ctx, "90-fixture", released.lessons[0].releasePath, { cellTimeoutS: 60, caseTimeoutS: 20, initTimeoutS: 60 });
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.release.score).toBe(0);
    expect(r.instructor.score).toBe(7);
    // The release ran every cell; the cells before the first exercise passed; each visible-check cell failed with its stub.
    const cells = r.release.feedback!.cells;
    expect(cells.every((c) => c.status !== "not-run")).toBe(true);
    expect(cells.filter((c) => c.status !== "ok").map((c) => [c.id, c.error])).toEqual([
      ["f5-add-one-checks", "Error: Exercise 90-fixture/add-one: not implemented yet"],
      ["f8-shift-checks", "Error: Exercise 90-fixture/shift: not implemented yet"],
      ["f11-mean-checks", "Error: Exercise 90-fixture/mean: not implemented yet"],
    ]);
    expect(r.lines.join("\n")).toMatch(/failures only at the stubs: yes/);
  }, 600_000);
});
