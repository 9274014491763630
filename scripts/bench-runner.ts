/**
 * `npm run bench:runner`: how fast the notebook runner drives a tslab kernel.
 *
 * Prints, averaged over a few kernel starts:
 * - start: spawn -> ready (kernel_info answered and iopub connected), goal <= 3 s;
 * - round trip: mean wall time of trivial cells (`1 + 1`) from execute_request to idle+reply,
 *   goal <= 20 ms; split into the first cell (TypeScript program warm-up) and the steady state.
 *
 * Options: --starts N (default 3), --cells N (default 100), --cwd DIR (default notebooks/),
 * --node-arg FLAG (repeatable; extra node flags for the kernel, to compare settings).
 */
import { Command } from "commander";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Kernel, REPO_ROOT } from "./runner";

/** CPU time (user + system, ms) a process has used, from /proc (Linux); NaN elsewhere. */
function cpuMs(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, USER_HZ = 100
  } catch {
    return NaN;
  }
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function main(): Promise<void> {
  const program = new Command()
    .option("--starts <n>", "kernel starts to average over", (v) => parseInt(v, 10), 3)
    .option("--cells <n>", "trivial cells per kernel", (v) => parseInt(v, 10), 100)
    .option("--code <src>", "the trivial cell", "1 + 1")
    .option("--cwd <dir>", "kernel working directory", path.join(REPO_ROOT, "notebooks"))
    .option("--node-arg <flag>", "extra node flag for the kernel (repeatable)", (v: string, acc: string[]) => [...acc, v], [] as string[])
    .parse();
  const o = program.opts<{ starts: number; cells: number; code: string; cwd: string; nodeArg: string[] }>();

  const starts: number[] = [];
  const startCpu: number[] = [];
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} on ${os.cpus().length} cores (wall times stretch under load; CPU times do not)`);
  const firsts: number[] = [];
  const steady: number[] = [];
  for (let s = 0; s < o.starts; s++) {
    const kernel = await Kernel.start({ cwd: o.cwd, nodeArgs: o.nodeArg });
    try {
      starts.push(kernel.startSeconds * 1000);
      startCpu.push(cpuMs(kernel.pid));
      const rts: number[] = [];
      for (let i = 0; i < o.cells; i++) {
        const r = await kernel.execute(o.code, { timeoutMs: 30_000 });
        if (r.status !== "ok") throw new Error(`cell failed: ${r.error?.ename}: ${r.error?.evalue}`);
        rts.push(r.seconds * 1000);
      }
      firsts.push(rts[0]);
      steady.push(...rts.slice(1));
      console.log(
        `start ${s + 1}: ${(kernel.startSeconds * 1000).toFixed(0)} ms (kernel_info at ${kernel.startPhases.kernelInfoMs.toFixed(0)} ms, ` +
          `kernel CPU ${startCpu[s].toFixed(0)} ms); first cell ${rts[0].toFixed(1)} ms; ` +
          `mean of ${o.cells} cells ${mean(rts).toFixed(1)} ms`,
      );
    } finally {
      await kernel.shutdown();
    }
  }
  const all = [...firsts, ...steady];
  console.log("");
  console.log(`kernel start (spawn -> ready), mean of ${o.starts}: ${mean(starts).toFixed(0)} ms (min ${Math.min(...starts).toFixed(0)}, max ${Math.max(...starts).toFixed(0)})   goal <= 3000 ms`);
  console.log(`  kernel CPU time to ready: mean ${mean(startCpu).toFixed(0)} ms`);
  console.log(`round trip "${o.code}", mean of ${all.length} cells: ${mean(all).toFixed(1)} ms   goal <= 20 ms`);
  console.log(`  first cell after start: ${mean(firsts).toFixed(1)} ms; later cells: mean ${mean(steady).toFixed(1)} ms, median ${percentile(steady, 50).toFixed(1)} ms, p95 ${percentile(steady, 95).toFixed(1)} ms`);
  if (o.nodeArg.length) console.log(`  kernel node flags: ${o.nodeArg.join(" ")}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
