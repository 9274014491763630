// The runner's pure parts (no kernel): wire format, output collection, notebook I/O, course CLI
// helpers and its site hook.
import { createHmac } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolveNotebooks, runCourse, summaryTable } from "../../scripts/course";
import { readNotebook, serializeNotebook, validateNotebook } from "../../scripts/runner/notebook";
import { applyCarriageReturns, OutputCollector, parseErrorText, stripAnsi } from "../../scripts/runner/outputs";
import { DELIMITER, JupyterMessage, Session } from "../../scripts/runner/protocol";
import type { RunResult } from "../../scripts/runner/run";

const FIXTURES = path.join(__dirname, "..", "fixtures", "notebooks");

function iopub(session: Session, type: string, content: Record<string, unknown>): JupyterMessage {
  return session.request(type, content) as JupyterMessage;
}

describe("protocol", () => {
  it("signs header, parent, metadata and content with HMAC-SHA256 and round-trips", () => {
    const s = new Session("secret");
    const msg = s.request("execute_request", { code: "1+1" });
    const frames = s.encode(msg);
    expect(frames[0].toString()).toBe(DELIMITER);
    // hex HMAC-SHA256 of the four JSON frames
    const h = createHmac("sha256", "secret");
    for (const f of frames.slice(2, 6)) h.update(f);
    expect(frames[1].toString()).toBe(h.digest("hex"));
    const back = s.decode(frames);
    expect(back.header).toEqual(msg.header);
    expect(back.content).toEqual({ code: "1+1" });
    expect(back.header.version).toBe("5.3");
  });

  it("keeps routing identities and rejects a bad signature or missing delimiter", () => {
    const s = new Session("secret");
    const frames = [Buffer.from("ident"), ...s.encode(s.request("status", { execution_state: "idle" }))];
    expect(s.decode(frames).identities.map(String)).toEqual(["ident"]);
    const forged = new Session("other-key").encode(s.request("status", {}));
    expect(() => s.decode(forged)).toThrow(/signature/);
    expect(() => s.decode(frames.slice(2))).toThrow(/delimiter/);
  });
});

describe("OutputCollector", () => {
  const s = new Session("k");

  it("coalesces consecutive same-name streams and applies carriage returns", () => {
    const c = new OutputCollector();
    c.handle(iopub(s, "stream", { name: "stdout", text: "a\n" }));
    c.handle(iopub(s, "stream", { name: "stdout", text: "10%\r" }));
    c.handle(iopub(s, "stream", { name: "stdout", text: "100%\n" }));
    c.handle(iopub(s, "stream", { name: "stderr", text: "warn\n" }));
    c.handle(iopub(s, "stream", { name: "stdout", text: "b\n" }));
    expect(c.finalOutputs()).toEqual([
      { output_type: "stream", name: "stdout", text: "a\n100%\n" },
      { output_type: "stream", name: "stderr", text: "warn\n" },
      { output_type: "stream", name: "stdout", text: "b\n" },
    ]);
    expect(applyCarriageReturns("x\r\ny")).toBe("x\ny");
  });

  it("records execute_result and display_data, updates displays by id across cells, parses JSON mimes", () => {
    const displays = new Map();
    const first = new OutputCollector(displays);
    first.handle(iopub(s, "display_data", { data: { "text/plain": "v1" }, metadata: {}, transient: { display_id: "d" } }));
    first.handle(iopub(s, "execute_result", { execution_count: 3, data: { "text/plain": "42" }, metadata: {} }));
    const second = new OutputCollector(displays);
    second.handle(iopub(s, "update_display_data", { data: { "text/plain": "v2" }, metadata: {}, transient: { display_id: "d" } }));
    second.handle(iopub(s, "display_data", { data: { "application/vnd.plotly.v1+json": '{"data":[]}' }, metadata: {} }));
    expect(first.finalOutputs()).toEqual([
      { output_type: "display_data", data: { "text/plain": "v2" }, metadata: {} },
      { output_type: "execute_result", execution_count: 3, data: { "text/plain": "42" }, metadata: {} },
    ]);
    expect(second.finalOutputs()).toEqual([{ output_type: "display_data", data: { "application/vnd.plotly.v1+json": { data: [] } }, metadata: {} }]);
  });

  it("clear_output clears now, or at the next output with wait=true", () => {
    const c = new OutputCollector();
    c.handle(iopub(s, "stream", { name: "stdout", text: "old\n" }));
    c.handle(iopub(s, "clear_output", { wait: true }));
    expect(c.outputs).toHaveLength(1);
    c.handle(iopub(s, "stream", { name: "stdout", text: "new\n" }));
    expect(c.finalOutputs()).toEqual([{ output_type: "stream", name: "stdout", text: "new\n" }]);
    c.handle(iopub(s, "clear_output", { wait: false }));
    expect(c.outputs).toHaveLength(0);
  });

  it("turns tslab's stderr error print into an error output", () => {
    const c = new OutputCollector();
    c.handle(iopub(s, "stream", { name: "stderr", text: "a warning\n" }));
    c.handle(
      iopub(s, "stream", {
        name: "stderr",
        text: "evalmachine.<anonymous>:2\nthrow new RangeError('bad');\n^\n\nRangeError: bad\n    at evalmachine.<anonymous>:2:7\n    at Script.runInThisContext (node:vm:135:14)\n",
      }),
    );
    const err = c.synthesizeError();
    expect(err.ename).toBe("RangeError");
    expect(err.evalue).toBe("bad");
    expect(err.traceback.some((l) => l.includes("node:vm"))).toBe(false);
    expect(c.finalOutputs()).toEqual([
      { output_type: "stream", name: "stderr", text: "a warning\n" },
      { output_type: "error", ...err },
    ]);
  });
});

describe("OutputCollector: compile errors", () => {
  it("takes every diagnostic write of a failed compile, not just the last", () => {
    const s = new Session("k");
    const c = new OutputCollector();
    c.handle(iopub(s, "stream", { name: "stderr", text: "2:7 - Type 'string' is not assignable to type 'number'.\n" }));
    c.handle(iopub(s, "stream", { name: "stderr", text: "3:7 - Cannot find name 'x'.\n" }));
    const err = c.synthesizeError();
    expect(err).toMatchObject({
      ename: "TypeScriptError",
      evalue: "2:7 - Type 'string' is not assignable to type 'number'.\n3:7 - Cannot find name 'x'.",
    });
    expect(c.finalOutputs()).toEqual([{ output_type: "error", ...err }]);
  });
});

describe("parseErrorText", () => {
  it("recognises TypeScript diagnostics, errors with stacks, multi-line messages and thrown values", () => {
    expect(parseErrorText("1:5 - Type 'string' is not assignable to type 'number'.\n")).toMatchObject({
      ename: "TypeScriptError",
      evalue: "1:5 - Type 'string' is not assignable to type 'number'.",
    });
    expect(parseErrorText("\u001b[31mTypeError\u001b[39m: x is not a function\n    at f (a.js:1:1)")).toMatchObject({
      ename: "TypeError",
      evalue: "x is not a function",
    });
    expect(parseErrorText("Error: line one\nline two\n    at x (y:1:1) {\n  code: 'E'\n}")).toMatchObject({
      ename: "Error",
      evalue: "line one\nline two",
    });
    expect(parseErrorText("MyFailure: custom\n    at x (y:1:1)")).toMatchObject({ ename: "MyFailure", evalue: "custom" });
    expect(parseErrorText("just a string")).toMatchObject({ ename: "Error", evalue: "just a string" });
    expect(stripAnsi("\u001b[1;31mred\u001b[0m")).toBe("red");
  });
});

describe("notebook files", () => {
  it("rejects each kind of malformed input with a one-line message naming the file", async () => {
    const cases: [string, RegExp][] = [
      ["not-json.ipynb", /not valid JSON/],
      ["nbformat3.ipynb", /nbformat 3 is not supported/],
      ["no-cells.ipynb", /missing "cells" array/],
      ["bad-cell-type.ipynb", /cell 2 has unknown cell_type "python"/],
      ["bad-source.ipynb", /cell 2 source must be a string or an array of strings/],
    ];
    for (const [name, re] of cases) {
      const file = path.join(FIXTURES, "malformed", name);
      const err = await readNotebook(file).then(
        () => null,
        (e: Error) => e,
      );
      expect(err?.message).toMatch(re);
      expect(err?.message.startsWith(`${file}: `)).toBe(true);
      expect(err?.message).not.toContain("\n");
    }
  });

  it("serialises like Jupyter: sorted keys, 1-space indent, split lines, base64 and JSON mimes kept", () => {
    const nb = validateNotebook(
      {
        nbformat: 4,
        nbformat_minor: 5,
        metadata: { z: 1, a: 2 },
        cells: [
          {
            cell_type: "code",
            id: "x",
            metadata: {},
            source: "a\nb",
            execution_count: 1,
            outputs: [
              { output_type: "stream", name: "stdout", text: "1\n2\n" },
              {
                output_type: "display_data",
                metadata: {},
                data: { "text/html": "<p>\n</p>", "image/png": "iVBORw0KGgo=", "application/json": { k: [1] } },
              },
            ],
          },
        ],
      },
      "mem.ipynb",
    );
    const text = serializeNotebook(nb);
    expect(text.endsWith("}\n")).toBe(true);
    expect(text.startsWith('{\n "cells": [')).toBe(true);
    const back = JSON.parse(text);
    expect(Object.keys(back.metadata)).toEqual(["a", "z"]);
    expect(back.cells[0].source).toEqual(["a\n", "b"]);
    expect(back.cells[0].outputs[0].text).toEqual(["1\n", "2\n"]);
    expect(back.cells[0].outputs[1].data).toEqual({
      "application/json": { k: [1] },
      "image/png": "iVBORw0KGgo=",
      "text/html": ["<p>\n", "</p>"],
    });
  });
});

describe("course CLI helpers", () => {
  it("expands globs in name order and keeps plain paths", async () => {
    const files = await resolveNotebooks([path.join(FIXTURES, "malformed", "n*.ipynb"), "x/plain.ipynb"]);
    expect(files.map((f) => path.basename(f))).toEqual(["nbformat3.ipynb", "no-cells.ipynb", "not-json.ipynb", "plain.ipynb"]);
  });

  it("prints a summary table with one row per notebook and the pass/fail counts", () => {
    const r = (name: string, ok: boolean): RunResult => ({
      notebook: `notebooks/${name}`,
      outPath: null,
      ok,
      status: ok ? "ok" : "error",
      seconds: 1.25,
      kernelStartSeconds: 2,
      cells: [],
      date: "",
      backend: "wasm",
      failure: ok ? undefined : { message: "cell 3 (code cell 2): Error: boom", ename: "Error", evalue: "boom", traceback: [] },
    });
    const table = summaryTable([r("01-a.ipynb", true), r("02-b.ipynb", false)]).split("\n");
    expect(table[2]).toMatch(/^01-a\.ipynb\s+1\.3\s+ok\s+wasm$/);
    expect(table[3]).toMatch(/^02-b\.ipynb\s+1\.3\s+error\s+wasm\s+cell 3 \(code cell 2\): Error: boom$/);
    expect(table[4]).toMatch(/2 notebook\(s\), 1 passed, 1 failed/);
  });

  it("calls the site hook only when every notebook passed, and not with --no-site", async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), "course-site-"));
    const sitePath = path.join(FIXTURES, "site-stub", "build.ts");
    const lines: string[] = [];
    const log = (l: string) => lines.push(l);
    const none = [path.join(FIXTURES, "no-such-*.ipynb")];

    const siteOutDir = path.join(tmp, "site");
    expect(await runCourse({ notebooks: none, sitePath, siteOutDir, outDir: path.join(tmp, "nb"), log })).toBe(0);
    expect(JSON.parse(readFileSync(path.join(siteOutDir, "called.json"), "utf8"))).toEqual({
      notebooksDir: path.join(tmp, "nb"),
      outDir: siteOutDir,
    });

    const skipped = path.join(tmp, "site2");
    expect(await runCourse({ notebooks: none, sitePath, siteOutDir: skipped, site: false, log })).toBe(0);
    expect(existsSync(skipped)).toBe(false);
    expect(lines).toContain("site: skipped (--no-site)");

    const failing = [path.join(FIXTURES, "malformed", "no-cells.ipynb")];
    const notBuilt = path.join(tmp, "site3");
    expect(await runCourse({ notebooks: failing, sitePath, siteOutDir: notBuilt, outDir: path.join(tmp, "nb"), log })).toBe(1);
    expect(existsSync(notBuilt)).toBe(false);
    expect(lines).toContain(`${failing[0]}: missing "cells" array`);
  });
});
