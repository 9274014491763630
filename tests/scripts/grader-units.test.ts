// The autograder's pure parts: stubs and checksums (lesson.ts), cell rewriting and dependency
// slices (slice.ts), lesson identification and cell matching (submission.ts), the membrane's value
// encoding (sandbox/membrane.ts), the zip writer, the results formats. No kernels, no processes.
import * as tf from "@tensorflow/tfjs";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cellChecksum, lessonFromNotebook, normaliseSource, stubSolutions } from "../../scripts/grader/lesson";
import { scoresCsv, summaryText } from "../../scripts/grader/results";
import { Side } from "../../scripts/grader/sandbox/membrane";
import { chooseDependencies, referencedNames, rewriteCell, topLevelDeclarations, transpileCell } from "../../scripts/grader/slice";
import { identifyLesson, matchCells, parseSubmission } from "../../scripts/grader/submission";
import { buildZip } from "../../scripts/grader/zip";
import type { LessonBundle } from "../../scripts/grader/context";
import type { GradeResult } from "../../scripts/grader/grade";

const FIXTURE = path.resolve(__dirname, "..", "fixtures", "grader", "notebooks", "90-fixture.ipynb");
const fixtureNb = () => JSON.parse(readFileSync(FIXTURE, "utf8"));

function bundleOf(nb: any, file = FIXTURE): LessonBundle {
  const lesson = lessonFromNotebook(nb, file, JSON.stringify(nb));
  return {
    lesson,
    hidden: null,
    checksums: new Map(lesson.cells.filter((c) => c.role !== "exercise").map((c) => [c.id, c.sha256])),
    manifest: null,
    allowedModules: ["@tensorflow/tfjs", "gan-course"],
    warnings: [],
    maxScore: lesson.exercises.reduce((s, e) => s + e.points, 0),
  };
}

describe("stubs and checksums", () => {
  it("replaces each solution region with the README's stub, indented like its BEGIN line", () => {
    const src = "function f(x: number) {\n  const y = 1;\n  // BEGIN SOLUTION\n  return x + y;\n  // END SOLUTION\n}\n// BEGIN SOLUTION\nconst z = 2;\n// END SOLUTION";
    const out = stubSolutions(src, "l/f");
    expect(out.regions).toBe(2);
    expect(out.source).toBe(
      'function f(x: number) {\n  const y = 1;\n  throw new Error("Exercise l/f: not implemented yet");\n}\nthrow new Error("Exercise l/f: not implemented yet");',
    );
    expect(() => stubSolutions("// BEGIN SOLUTION\nx", "l/f")).toThrow(/without END/);
    expect(() => stubSolutions("x\n// END SOLUTION", "l/f")).toThrow(/without BEGIN/);
  });

  it("ignores line endings and trailing whitespace, not code", () => {
    expect(normaliseSource("a  \r\nb\t\n\n\n")).toBe("a\nb");
    expect(cellChecksum("code", "const a = 1;\r\n")).toBe(cellChecksum("code", "const a = 1;   \n\n"));
    expect(cellChecksum("code", "const a = 1;")).not.toBe(cellChecksum("code", "const a = 2;"));
    expect(cellChecksum("code", "x")).not.toBe(cellChecksum("markdown", "x"));
  });

  it("builds the lesson model: roles, exercises with their names, no problems", () => {
    const lesson = bundleOf(fixtureNb()).lesson;
    expect(lesson.problems).toEqual([]);
    expect(lesson.exercises.map((e) => [e.id, e.points, e.names, e.checksCellId])).toEqual([
      ["90-fixture/add-one", 2, ["addOne"], "f5-add-one-checks"],
      ["90-fixture/shift", 3, ["shiftTensor"], "f8-shift-checks"],
      ["90-fixture/mean", 2, ["meanOf"], "f11-mean-checks"],
    ]);
    expect(lesson.cells.filter((c) => c.role === "locked").length).toBe(7);
  });

  it("lists what makes a lesson unreleasable", () => {
    const nb = fixtureNb();
    nb.cells[4].source = "function addOne(x: number): number { return x + 1; }"; // no solution region
    nb.cells[7].metadata.gan_course.exercise.points = 0;
    nb.cells[12].source = "// BEGIN SOLUTION\n// END SOLUTION";
    nb.cells.splice(8, 1); // shift's visible checks
    delete nb.cells[1].id;
    const problems = lessonFromNotebook(nb, FIXTURE).problems.join("\n");
    expect(problems).toMatch(/add-one" has no \/\/ BEGIN SOLUTION/);
    expect(problems).toMatch(/shift" needs integer points > 0/);
    expect(problems).toMatch(/SOLUTION marker outside an exercise cell/);
    expect(problems).toMatch(/exercise "90-fixture\/shift": the code cell after it must be its visible checks/);
    expect(problems).toMatch(/cell 2 has no id/);
  });
});

describe("cells as one function body", () => {
  it("rewrites imports and top-level declarations so cells can be concatenated", () => {
    const src = 'import * as tf from "@tensorflow/tfjs";\nimport { a, b as c } from "m";\nimport type { T } from "m";\nexport const x: number = await f();\nlet y = 1;\nclass K {}\n';
    const out = rewriteCell(src);
    expect(out).toContain('var tf = __import("@tensorflow/tfjs");');
    expect(out).toContain('var { a, b: c } = __import("m");');
    expect(out).not.toContain("import type");
    expect(out).toContain("var x: number = await f();");
    expect(out).toContain("var y = 1;");
    expect(out).toContain("var K = class K {};");
    const js = transpileCell(src);
    expect(js.errors).toEqual([]);
    expect(js.js).not.toMatch(/: number|export/);
    expect(transpileCell("function f( {").errors[0]).toMatch(/^1:\d+ - /);
  });

  it("finds declarations and references", () => {
    const decls = topLevelDeclarations("const [a, { b }] = g();\nfunction f() {}\ninterface I {}\nimport { q } from 'm';");
    expect(decls.map((d) => [d.name, d.kind])).toEqual([
      ["a", "variable"],
      ["b", "variable"],
      ["f", "function"],
      ["I", "type"],
      ["q", "import"],
    ]);
    const refs = referencedNames("const y = obj.prop + f({ key: z });");
    expect([...refs].sort()).toEqual(["f", "obj", "y", "z"]);
  });

  it("takes the earlier cells an exercise needs, transitively, and the forced setup cell", () => {
    const cells = [
      { id: "setup", source: 'import * as tf from "@tensorflow/tfjs";', forced: true },
      { id: "data", source: "const data = load();", forced: false },
      { id: "unused", source: "const plot = draw(data);", forced: false },
      { id: "scale", source: "const scale = data.length * 2;", forced: false },
    ];
    const chosen = chooseDependencies(cells, ["function f(x: number) { return x * scale; }"]);
    expect(chosen.map((c) => c.id)).toEqual(["setup", "data", "scale"]);
  });
});

describe("lining a submission up with its lesson", () => {
  it("identifies the lesson from cell ids, whatever the metadata claims", () => {
    const nb = fixtureNb();
    nb.metadata.gan_course = { lesson: "91-other" };
    const other = bundleOf({ ...fixtureNb(), cells: fixtureNb().cells.slice(0, 1).map((c: any) => ({ ...c, id: "zzz" })) }, "/x/91-other.ipynb");
    const id = identifyLesson(nb, [bundleOf(fixtureNb()), other]);
    expect(id).toMatchObject({ stem: "90-fixture", claimed: "91-other" });
    expect(identifyLesson({ ...nb, cells: [] }, [bundleOf(fixtureNb())]).stem).toBeNull();
  });

  it("finds exercises by metadata, then by cell id; reports edited and deleted locked cells; keeps extra cells", () => {
    const b = bundleOf(fixtureNb());
    const nb = fixtureNb();
    delete nb.cells[4].metadata.gan_course; // add-one: found by id
    nb.cells.splice(7, 1); // shift: deleted
    nb.cells[1].source += "\n// a comment"; // setup: edited
    nb.cells.splice(2, 1); // offset: deleted
    nb.cells.push({ cell_type: "code", id: "mine", metadata: {}, source: "console.log(1)", outputs: [] });
    const m = matchCells(nb, b);
    expect(m.exercises.get("90-fixture/add-one")).toMatchObject({ foundBy: "cell-id" });
    expect(m.exercises.get("90-fixture/shift")).toMatchObject({ foundBy: null, source: null });
    expect(m.exercises.get("90-fixture/mean")).toMatchObject({ foundBy: "metadata" });
    expect(m.lockedChanges.map((c) => [c.cellId, c.kind])).toEqual([
      ["f1-setup", "edited"],
      ["f2-offset", "deleted"],
    ]);
    expect(m.extras.get("f12-end")!.map((c) => c.id)).toEqual(["mine"]);
  });

  it("reads files that are not notebooks as results, not exceptions", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "gan-sub-"));
    try {
      const write = (name: string, data: string | Buffer) => {
        writeFileSync(path.join(dir, name), data);
        return path.join(dir, name);
      };
      expect(await parseSubmission(write("a.ipynb", "not json"))).toMatchObject({ ok: false, kind: "not-json" });
      expect(await parseSubmission(write("b.ipynb", Buffer.from([0x50, 0x4b, 3, 4, 0, 0])))).toMatchObject({ ok: false, kind: "not-json", message: expect.stringMatching(/zip archive/) });
      expect(await parseSubmission(write("c.ipynb", "[1, 2]"))).toMatchObject({ ok: false, kind: "not-notebook" });
      expect(await parseSubmission(write("d.ipynb", '{"nbformat": 3, "cells": []}'))).toMatchObject({ ok: false, kind: "not-notebook" });
      expect(await parseSubmission(path.join(dir, "missing.ipynb"))).toMatchObject({ ok: false, kind: "unreadable" });
      expect(await parseSubmission(write("e.ipynb", '\uFEFF{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}'))).toMatchObject({ ok: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the membrane's encoding", () => {
  const side = (s: "trusted" | "worker") => new Side({ port: null, signal: new Int32Array(new SharedArrayBuffer(8)), side: s, tf, receiveMessageOnPort: () => undefined });

  it("passes data and tensors by value", () => {
    const w = side("worker");
    const t = side("trusted");
    const value = { n: 1.5, s: "x", list: [1, [2, 3]], f32: new Float32Array([1, 2]), m: new Map([["k", 1]]), t: tf.tensor2d([[1, 2], [3, 4]]), nothing: undefined };
    const back = t.decode(structuredClone(w.encode(value))) as any;
    expect(back.n).toBe(1.5);
    expect(back.list).toEqual([1, [2, 3]]);
    expect(Array.from(back.f32)).toEqual([1, 2]);
    expect(back.m.get("k")).toBe(1);
    expect(back.t).toBeInstanceOf(tf.Tensor);
    expect(back.t.shape).toEqual([2, 2]);
    expect(Array.from(back.t.dataSync())).toEqual([1, 2, 3, 4]);
    expect("nothing" in back).toBe(true);
  });

  it("passes a symbolic input (tf.input) as its shape, rebuilt as the worker's own placeholder", () => {
    const t = side("trusted");
    const w = side("worker");
    const back = w.decode(structuredClone(t.encode([tf.input({ shape: [5, 3, 8] })]))) as any[];
    expect(back[0]).toBeInstanceOf(tf.SymbolicTensor);
    expect(back[0].shape).toEqual([null, 5, 3, 8]);
    expect(back[0].sourceLayer.getClassName()).toBe("InputLayer");
    const y = tf.layers.dense({ units: 2 }).apply(tf.input({ shape: [4] }));
    expect(() => t.encode(y)).toThrow(/only symbolic inputs/);
    expect(() => t.decode({ $: "si", shape: [null, 2], dtype: "float32" })).toThrow(/unexpected symbolic input/);
    expect(() => w.decode({ $: "si", shape: [null, -1], dtype: "float32" })).toThrow(/malformed symbolic input/);
  });

  it("refuses cycles, and class instances from the trusted side; rejects malformed input", () => {
    const t = side("trusted");
    const cyclic: any = { a: 1 };
    cyclic.self = cyclic;
    expect(() => t.encode(cyclic)).toThrow(/cyclic/);
    expect(() => t.encode(new (class Model {})())).toThrow(/a Model cannot be passed/);
    expect(() => t.decode({ $: "t", shape: [2], dtype: "float32", v: new Float32Array(3) })).toThrow(/malformed tensor/);
    expect(() => t.decode({ $: "zzz" })).toThrow(/malformed/);
    expect(() => t.decode({ $: "r", id: 99 })).toThrow(/used after its call ended/);
    const o = t.decode(JSON.parse('{"$": "o", "v": {"__proto__": {"$": "o", "v": {"polluted": true}}}}')) as any;
    expect(({} as any).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
  });
});

describe("the tslab send queue (tslab-send-queue.cjs)", () => {
  it("delivers a burst of messages in order, and drops stream messages beyond its bound with a signed notice", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "gan-zmq-"));
    try {
      const conn = path.join(dir, "conn.json");
      writeFileSync(conn, JSON.stringify({ key: "secret" }));
      const script = `
        const zmq = require("zeromq");
        const crypto = require("crypto");
        const msg = (type, i) => ["<IDS|MSG>", "sig", JSON.stringify({ msg_id: String(i), msg_type: type }), "{}", "{}", JSON.stringify({ i })];
        (async () => {
          const pub = new zmq.Publisher({ sendHighWaterMark: 0 });
          await pub.bind("tcp://127.0.0.1:*");
          const sub = new zmq.Subscriber({ receiveHighWaterMark: 0 });
          sub.connect(pub.lastEndpoint); sub.subscribe();
          await new Promise((r) => setTimeout(r, 300));
          const got = [];
          const done = (async () => { for await (const frames of sub) { got.push(frames.map(String)); if (JSON.parse(String(frames[2])).msg_type === "status") break; } })();
          for (let i = 0; i < 1500; i++) pub.send(msg("stream", i));   // a burst: fine
          for (let i = 1500; i < 6000; i++) pub.send(msg("stream", i)); // beyond the bound: dropped
          pub.send(msg("status", 6000));
          await done;
          const ids = got.map((f) => JSON.parse(f[5]).i).filter((i) => i !== undefined);
          const notice = got.find((f) => f[5].includes("output messages dropped"));
          const sigOk = notice && crypto.createHmac("sha256", "secret").update(notice[2]).update(notice[3]).update(notice[4]).update(notice[5]).digest("hex") === notice[1];
          console.log(JSON.stringify({ n: got.length, first: ids.slice(0, 3), sorted: ids.every((v, k) => k === 0 || v > ids[k - 1]), last: ids[ids.length - 1], notice: notice && JSON.parse(notice[5]).text, sigOk }));
          process.exit(0);
        })();`;
      const out = execFileSync(process.execPath, ["--require", path.resolve(__dirname, "../../scripts/grader/tslab-send-queue.cjs"), "-e", script, "--", "--config-path", conn], {
        cwd: path.resolve(__dirname, "../.."),
        encoding: "utf8",
      });
      const r = JSON.parse(out.trim().split("\n").pop()!);
      expect(r.first).toEqual([0, 1, 2]);
      expect(r.sorted).toBe(true);
      expect(r.last).toBe(6000); // the status message after the burst arrives
      expect(r.notice).toMatch(/\d+ output messages dropped/);
      expect(r.sigOk).toBe(true);
      expect(r.n).toBeGreaterThan(2000);
      expect(r.n).toBeLessThan(6000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("outputs", () => {
  it("writes zips that unzip tests", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "gan-zip-"));
    try {
      const zip = buildZip([
        { name: "run_autograder", data: Buffer.from("#!/bin/sh\necho hi\n"), mode: 0o755 },
        { name: "a/b.txt", data: Buffer.from("x".repeat(10_000)) },
      ]);
      writeFileSync(path.join(dir, "t.zip"), zip);
      const listing = execFileSync("unzip", ["-Z", path.join(dir, "t.zip")], { encoding: "utf8" });
      expect(listing).toMatch(/-rwxr-xr-x.*run_autograder/);
      expect(execFileSync("unzip", ["-p", path.join(dir, "t.zip"), "a/b.txt"], { encoding: "utf8" })).toBe("x".repeat(10_000));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("summarises results and writes CSV with one column per exercise", () => {
    const r: GradeResult = {
      file: "/x/alice.ipynb",
      student: "alice",
      lesson: "90-fixture",
      status: "graded",
      message: null,
      score: 2,
      maxScore: 3,
      exercises: [
        { id: "90-fixture/a", points: 2, score: 2, status: "graded", foundBy: "metadata", feedback: "ok", notes: [], cases: [{ name: "c1", points: 2, score: 2, passed: true }] },
        { id: "90-fixture/b", points: 1, score: 0, status: "graded", foundBy: "metadata", feedback: "", notes: [], cases: [{ name: "c2", points: 1, score: 0, passed: false, message: 'expected 1, got "2"' }] },
      ],
      lockedChanges: [{ cellId: "x1", index: 3, cellType: "code", kind: "edited" }],
      notes: [],
      warnings: [],
      feedback: null,
      executed: null,
      seconds: 1,
    };
    expect(summaryText(r)).toContain('✗ c2 (0/1): expected 1, got "2"');
    expect(summaryText(r)).toContain("cell 3 (code, id x1) was edited");
    expect(scoresCsv([r])).toBe('student,file,lesson,status,score,max_score,90-fixture/a,90-fixture/b,message\nalice,alice.ipynb,90-fixture,graded,2,3,2,0,1 locked cell(s) changed\n');
  });
});
