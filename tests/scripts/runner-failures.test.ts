// The runner when kernels misbehave (hangs, process.exit, out of memory) and with several
// notebooks at once through the course CLI. Every case must end promptly and name the cell.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Kernel, runNotebook } from "../../scripts/runner";

const ROOT = path.join(__dirname, "..", "..");
const FIXTURES = path.join(__dirname, "..", "fixtures", "notebooks");
const outDir = mkdtempSync(path.join(os.tmpdir(), "runner-fail-"));
const TIMEOUT_S = 3;

describe("hung cells", () => {
  it("interrupts `while (true) {}` after the notebook's cell_timeout and reports the cell", async () => {
    const r = await runNotebook(path.join(FIXTURES, "hang.ipynb"), { outDir });
    expect(r.status).toBe("timeout");
    expect(r.failure).toMatchObject({ cell: 2, codeCell: 2, ename: "CellTimeout" });
    expect(r.failure!.message).toMatch(/^cell 2 \(code cell 2\) timed out: exceeded its 3 s time limit/);
    const hung = r.cells[1];
    expect(hung.seconds).toBeGreaterThanOrEqual(TIMEOUT_S);
    expect(hung.seconds).toBeLessThan(TIMEOUT_S + 5);
    expect(r.cells).toHaveLength(2); // the cell after it never ran
    const saved = JSON.parse(readFileSync(path.join(outDir, "hang.ipynb"), "utf8"));
    expect(saved.cells[0].outputs[0].text).toEqual(["start\n"]);
    expect(saved.cells[1].outputs.at(-1)).toMatchObject({ output_type: "error", ename: "CellTimeout" });
  });

  it("kills the kernel when SIGINT cannot break the loop (after an await), per-cell timeout", async () => {
    const r = await runNotebook(path.join(FIXTURES, "hang-async.ipynb"), { outDir, cellTimeoutS: 60 });
    expect(r.status).toBe("timeout");
    expect(r.failure).toMatchObject({ cell: 3, codeCell: 2, ename: "CellTimeout" });
    expect(r.failure!.message).toMatch(/exceeded its 3 s time limit; interrupted, then the kernel was killed$/);
    expect(r.cells[1].seconds).toBeLessThan(TIMEOUT_S + 5);
  });

  it("applies a total time limit across the notebook (autograder budget)", async () => {
    const r = await runNotebook(path.join(FIXTURES, "hang-async.ipynb"), { write: false, totalTimeoutS: 2 });
    expect(r.status).toBe("timeout");
    expect(r.failure!.message).toMatch(/exceeded the notebook's total time limit of 2 s/);
    expect(r.outPath).toBeNull();
  });
});

describe("dying kernels", () => {
  it("reports process.exit(1) in a cell as a dead kernel, naming the cell", async () => {
    const r = await runNotebook(path.join(FIXTURES, "exit.ipynb"), { outDir });
    expect(r.status).toBe("died");
    expect(r.failure).toMatchObject({ cell: 2, codeCell: 2, ename: "KernelDied" });
    expect(r.failure!.message).toBe("kernel died while running cell 2 (code cell 2): exited with code 1");
    expect(r.cells[1].seconds).toBeLessThan(5);
    const saved = JSON.parse(readFileSync(path.join(outDir, "exit.ipynb"), "utf8"));
    expect(saved.cells[2].execution_count).toBeNull();
  });

  it("detects a kernel that runs out of its heap limit", async () => {
    const kernel = await Kernel.start({ cwd: FIXTURES, maxOldSpaceSizeMb: 160 });
    try {
      const r = await kernel.execute("const hoard: number[][] = [];\nwhile (true) hoard.push(new Array(1e5).fill(1));", { timeoutMs: 60_000 });
      expect(r.status).toBe("died");
      expect(r.error!.ename).toBe("KernelDied");
      expect(kernel.alive).toBe(false);
      expect(kernel.stderr).toMatch(/heap/i);
      expect(r.error!.traceback.join("\n")).toMatch(/out of memory/);
      const again = await kernel.execute("1");
      expect(again.status).toBe("died");
    } finally {
      await kernel.kill();
    }
  });
});

describe("kernels that cannot start", () => {
  it("reports the start failure with the kernel's stderr, and still writes the copy", async () => {
    const r = await runNotebook(path.join(FIXTURES, "exit.ipynb"), { outDir: path.join(outDir, "nostart"), kernel: { tslabBin: "/nonexistent/tslab" } });
    expect(r.status).toBe("start-failed");
    expect(r.failure!.message).toBe("kernel failed to start: kernel exited with code 1 while starting");
    expect(r.failure!.traceback.join("\n")).toMatch(/Cannot find module '\/nonexistent\/tslab'/);
    const saved = JSON.parse(readFileSync(r.outPath!, "utf8"));
    expect(saved.metadata.gan_course.run).toMatchObject({ ok: false, kernel_start_seconds: null });
  });
});

describe("port clashes", () => {
  it("fails fast when a kernel port is taken (tslab would keep running without sockets)", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const err = await Kernel.start({ cwd: FIXTURES, connection: { iopub_port: port }, startTimeoutMs: 100_000 }).then(
        () => null,
        (e: Error & { stderr: string }) => e,
      );
      expect(err?.message).toBe("a kernel port was taken by another process");
      expect(err?.stderr).toMatch(new RegExp(`EADDRINUSE[\\s\\S]*${port}`));
    } finally {
      server.close();
    }
  });
});

describe("course CLI with --jobs 2", () => {
  it("runs two notebooks at the same time, prints progress lines and a summary, exits 0", () => {
    const out = path.join(outDir, "jobs");
    const names = ["parallel-a.ipynb", "parallel-b.ipynb"];
    const p = spawnSync(
      process.execPath,
      [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), path.join(ROOT, "scripts", "course.ts"), ...names.map((n) => path.join(FIXTURES, n)), "--jobs", "2", "--out", out, "--no-site"],
      { encoding: "utf8", cwd: ROOT, timeout: 100_000 },
    );
    expect(p.stderr).toBe("");
    expect(p.status).toBe(0);
    for (const n of names) expect(p.stdout).toMatch(new RegExp(`^✓ ${n.replace(".", "\\.")}\\s+[\\d.]+ s  ok$`, "m"));
    expect(p.stdout).toMatch(/2 notebook\(s\), 2 passed, 0 failed/);
    expect(p.stdout).toMatch(/site: skipped \(--no-site\)/);
    // Each notebook printed when its cell started and ended; the intervals overlap.
    const [a, b] = names.map((n) => {
      const nb = JSON.parse(readFileSync(path.join(out, n), "utf8"));
      return JSON.parse(nb.cells[0].outputs[0].text.join("")) as { started: number; ended: number };
    });
    expect(a.started).toBeLessThan(b.ended);
    expect(b.started).toBeLessThan(a.ended);
  });

  it("exits 1 with a one-line error for a malformed notebook", () => {
    const file = path.join(FIXTURES, "malformed", "nbformat3.ipynb");
    const p = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), path.join(ROOT, "scripts", "course.ts"), file, "--no-site", "--out", outDir], {
      encoding: "utf8",
      cwd: ROOT,
      timeout: 60_000,
    });
    expect(p.status).toBe(1);
    expect(p.stdout.split("\n")).toContain(`${file}: nbformat 3 is not supported; need nbformat 4 (upgrade it with \`jupyter nbconvert --to notebook\`)`);
  });
});
