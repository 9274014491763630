// The runner against the real tslab kernel: a notebook with every output kind, a failing
// notebook, package-name imports of gan-course, malformed input, and the Kernel API the
// autograder reuses (one shared kernel). Needs `npm run build` (lib/dist) for the gan-course test;
// `npm test` builds first.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executeNotebook, Kernel, NbOutput, runNotebook, validateNotebook } from "../../scripts/runner";

const FIXTURES = path.join(__dirname, "..", "fixtures", "notebooks");
const outDir = mkdtempSync(path.join(os.tmpdir(), "runner-test-"));

function stdout(outputs: NbOutput[]): string {
  return outputs.map((o) => (o.output_type === "stream" && o.name === "stdout" ? o.text : "")).join("");
}

describe("runNotebook: success", () => {
  const src = path.join(FIXTURES, "success.ipynb");
  const before = readFileSync(src, "utf8");
  let result: Awaited<ReturnType<typeof runNotebook>>;
  let saved: any;

  beforeAll(async () => {
    result = await runNotebook(src, { outDir });
    saved = JSON.parse(readFileSync(path.join(outDir, "success.ipynb"), "utf8"));
  });

  it("runs every code cell, records outputs and execution counts, never touches the source", () => {
    expect(result.failure).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.outPath).toBe(path.join(outDir, "success.ipynb"));
    expect(readFileSync(src, "utf8")).toBe(before);
    const code = saved.cells.filter((c: any) => c.cell_type === "code");
    expect(code.map((c: any) => c.execution_count)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // markdown and raw cells keep no outputs
    for (const c of saved.cells.filter((c: any) => c.cell_type !== "code")) expect(c.outputs).toBeUndefined();
    expect(saved.nbformat).toBe(4);
  });

  it("coalesces console.log lines into one stream output (stored as a line array)", () => {
    const [c] = saved.cells.filter((c: any) => c.cell_type === "code");
    expect(c.outputs).toEqual([{ output_type: "stream", name: "stdout", text: ["hello\n", "world\n"] }]);
  });

  it("records the last expression's value (tslab prints it on stdout, not as execute_result)", () => {
    expect(result.cells[1].outputs).toEqual([{ output_type: "stream", name: "stdout", text: "42\n" }]);
  });

  it("records tslab.display html and png (base64) and a display updated in place", () => {
    expect(result.cells[2].outputs).toEqual([
      { output_type: "display_data", data: { "text/html": "<b>bold</b>" }, metadata: {} },
      { output_type: "display_data", data: { "image/png": Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]).toString("base64") }, metadata: {} },
    ]);
    expect(result.cells[3].outputs).toEqual([{ output_type: "display_data", data: { "text/plain": "second" }, metadata: {} }]);
  });

  it("stores a JSON mime bundle as an object", () => {
    const cell = saved.cells.filter((c: any) => c.cell_type === "code")[4];
    expect(cell.outputs[0].data["application/vnd.plotly.v1+json"]).toEqual({ data: [{ x: [1, 2], y: [3, 4] }] });
  });

  it("keeps stderr separate and applies carriage returns; top-level await works", () => {
    expect(result.cells[5].outputs).toEqual([
      { output_type: "stream", name: "stderr", text: "a warning\n" },
      { output_type: "stream", name: "stdout", text: "100%\n" },
    ]);
    expect(stdout(result.cells[6].outputs)).toBe("awaited, answer=42\n");
  });

  it("records per-cell timing and the run in notebook metadata", () => {
    const cell = saved.cells.find((c: any) => c.cell_type === "code");
    expect(cell.metadata.gan_course.seconds).toBeGreaterThan(0);
    expect(Date.parse(cell.metadata.execution["iopub.status.busy"])).not.toBeNaN();
    expect(Date.parse(cell.metadata.execution["iopub.status.idle"])).not.toBeNaN();
    const run = saved.metadata.gan_course.run;
    expect(run.ok).toBe(true);
    expect(run.seconds).toBeGreaterThan(0);
    expect(Date.parse(run.date)).not.toBeNaN();
    expect(saved.metadata.kernelspec.name).toBe("tslab");
  });
});

describe("runNotebook: a cell that throws", () => {
  it("stops at the failing cell, reports both cell numbers, ename, evalue, traceback; writes the copy", async () => {
    const r = await runNotebook(path.join(FIXTURES, "error.ipynb"), { outDir });
    expect(r.ok).toBe(false);
    expect(r.status).toBe("error");
    expect(r.failure).toMatchObject({ cell: 4, codeCell: 2, ename: "RangeError", evalue: "value 7 is out of range" });
    expect(r.failure!.message).toBe("cell 4 (code cell 2): RangeError: value 7 is out of range");
    expect(r.failure!.traceback.join("\n")).toMatch(/at check/);
    expect(r.failure!.traceback.join("\n")).not.toMatch(/\u001b\[/);
    expect(r.cells.map((c) => c.status)).toEqual(["ok", "error"]);

    const saved = JSON.parse(readFileSync(path.join(outDir, "error.ipynb"), "utf8"));
    const [ok, bad, never] = saved.cells.filter((c: any) => c.cell_type === "code");
    expect(ok.outputs[0].text).toEqual(["before the error\n"]);
    expect(bad.outputs).toEqual([expect.objectContaining({ output_type: "error", ename: "RangeError", evalue: "value 7 is out of range" })]);
    expect(never.execution_count).toBeNull();
    expect(never.outputs).toEqual([]);
    expect(saved.metadata.gan_course.run).toMatchObject({ ok: false, failure: r.failure!.message });
  });
});

describe("executeNotebook: in memory, continuing after errors (autograder mode)", () => {
  it("runs every cell with stopOnError false, reports each failure and the first as the notebook's", async () => {
    const code = (source: string) => ({ cell_type: "code", metadata: {}, source, outputs: [], execution_count: null });
    const nb = validateNotebook(
      {
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [code("throw new Error('exercise a: not implemented yet');"), code("const b = 2;\nb"), code("const c: string = b;"), code("b + 1")],
      },
      "in-memory.ipynb",
    );
    const out = path.join(outDir, "in-memory.ipynb");
    const r = await executeNotebook(nb, { name: "in-memory", cwd: FIXTURES, outPath: out, stopOnError: false });
    expect(r.cells.map((c) => c.status)).toEqual(["error", "ok", "error", "ok"]);
    expect(r.cells[0].failure).toMatchObject({ cell: 1, ename: "Error", evalue: "exercise a: not implemented yet" });
    expect(r.cells[2].failure).toMatchObject({ cell: 3, ename: "TypeScriptError" });
    expect(stdout(r.cells[3].outputs)).toBe("3\n");
    expect(r.ok).toBe(false);
    expect(r.failure).toEqual(r.cells[0].failure);
    expect(nb.cells.map((c) => c.execution_count)).toEqual([1, 2, 3, 4]);
    const saved = JSON.parse(readFileSync(out, "utf8"));
    expect(saved.metadata.gan_course.run.ok).toBe(false);
    for (const c of saved.cells) expect(c.id).toMatch(/^[0-9a-f]{8}$/); // nbformat 4.5 needs ids
  });
});

describe("runNotebook: imports by package name", () => {
  it('resolves "gan-course" (lib/dist) and @tensorflow/tfjs from the notebook folder', async () => {
    expect(existsSync(path.join(__dirname, "..", "..", "lib", "dist", "index.js"))).toBe(true); // run `npm run build`
    const r = await runNotebook(path.join(FIXTURES, "gan-course-import.ipynb"), { outDir });
    expect(r.failure).toBeUndefined();
    expect(stdout(r.cells[0].outputs)).toMatch(/^gan-course: backend=cpu threads=1 seed=42 tfjs=4\./m);
    expect(stdout(r.cells[1].outputs)).toBe("backend=cpu sum=6 same=true\n");
    expect(r.backend).toBe("cpu");
  });
});

describe("runNotebook: malformed input", () => {
  it("returns a one-line error naming the problem and starts no kernel", async () => {
    for (const [name, re] of [
      ["not-json.ipynb", /^not valid JSON/],
      ["nbformat3.ipynb", /^nbformat 3 is not supported/],
      ["no-cells.ipynb", /^missing "cells" array$/],
      ["bad-cell-type.ipynb", /^cell 2 has unknown cell_type/],
      ["bad-source.ipynb", /^cell 2 source must be/],
    ] as const) {
      const r = await runNotebook(path.join(FIXTURES, "malformed", name), { outDir });
      expect(r.status).toBe("invalid");
      expect(r.failure!.message).toMatch(re);
      expect(r.kernelStartSeconds).toBeNull();
      expect(r.outPath).toBeNull();
      expect(existsSync(path.join(outDir, name))).toBe(false);
    }
  });
});

describe("Kernel API (for the autograder)", () => {
  let kernel: Kernel;
  beforeAll(async () => {
    kernel = await Kernel.start({ cwd: FIXTURES, env: { RUNNER_TEST_VAR: "passed-through" }, maxOldSpaceSizeMb: 300 });
  });
  afterAll(async () => {
    const file = kernel.connectionFile;
    await kernel.shutdown();
    expect(kernel.alive).toBe(false);
    expect(file && existsSync(file)).toBe(false);
  });

  it("is ready after start, with a connection file and tslab's kernel_info", () => {
    expect(kernel.alive).toBe(true);
    expect(kernel.info.implementation).toBe("tslab");
    expect(kernel.startSeconds).toBeGreaterThan(0);
    const conn = JSON.parse(readFileSync(kernel.connectionFile!, "utf8"));
    expect(conn).toMatchObject({ transport: "tcp", ip: "127.0.0.1", signature_scheme: "hmac-sha256" });
    expect(conn.key).toMatch(/^[0-9a-f]{64}$/);
  });

  it("executes code strings, keeps state between them, passes env and the heap limit", async () => {
    const a = await kernel.execute("const base = 20;\nbase + 1");
    expect(a).toMatchObject({ status: "ok", executionCount: 1 });
    expect(stdout(a.outputs)).toBe("21\n");
    const b = await kernel.execute("console.log(process.env.RUNNER_TEST_VAR, process.cwd());");
    expect(stdout(b.outputs)).toBe(`passed-through ${FIXTURES}\n`);
    const c = await kernel.execute('Math.round(require("v8").getHeapStatistics().heap_size_limit / 2 ** 20)');
    const mb = Number(stdout(c.outputs));
    expect(mb).toBeGreaterThanOrEqual(300);
    expect(mb).toBeLessThan(400);
  });

  it("reports compile errors and exceptions, and runs the next request right after", async () => {
    const compile = await kernel.execute("const n: number = 'a';");
    expect(compile.status).toBe("error");
    expect(compile.error).toMatchObject({ ename: "TypeScriptError" });
    expect(compile.error!.evalue).toMatch(/Type 'string' is not assignable to type 'number'/);
    const thrown = await kernel.execute("throw new TypeError('nope');");
    expect(thrown.error).toMatchObject({ ename: "TypeError", evalue: "nope" });
    // tslab aborts requests for 200 ms after an error; execute() waits that out itself.
    const next = await kernel.execute("base * 2");
    expect(next.status).toBe("ok");
    expect(stdout(next.outputs)).toBe("40\n");
  });

  it("interrupts a synchronous infinite loop on timeout and keeps the kernel usable", async () => {
    const r = await kernel.execute("while (true) {}", { timeoutMs: 1500 });
    expect(r.status).toBe("timeout");
    expect(r.error).toMatchObject({ ename: "CellTimeout" });
    expect(kernel.alive).toBe(true);
    const after = await kernel.execute("base");
    expect(after.status).toBe("ok");
    expect(stdout(after.outputs)).toBe("20\n");
  });

  it("streams outputs to onOutput as they arrive", async () => {
    const seen: string[] = [];
    await kernel.execute('console.log("x"); console.log("y");', {
      onOutput: (o) => o.output_type === "stream" && seen.push(o.text),
    });
    expect(seen).toEqual(["x\n", "y\n"]);
  });
});
