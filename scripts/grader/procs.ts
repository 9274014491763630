/**
 * Process helpers for the grader's limits (Linux /proc; elsewhere they do nothing and only the V8
 * heap limits apply): resident memory of a process, its descendants, and a watchdog that kills a
 * process over a memory limit. Node has no RSS limit of its own (--max-old-space-size bounds the JS
 * heap, not tensors' ArrayBuffers or wasm memory), hence the polling.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Resident set size in MiB, or null when unknown. */
export function rssMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Total RSS (MiB) of a process and its descendants. */
export function treeRssMb(pid: number): number | null {
  const own = rssMb(pid);
  if (own === null) return null;
  return descendants(pid).reduce((s, p) => s + (rssMb(p) ?? 0), own);
}

/** Pids of every descendant of `pid` (children first). */
export function descendants(pid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      // pid (comm) state ppid ...; comm may contain spaces and parentheses.
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ppid = Number(rest[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(e));
      children.set(ppid, list);
    } catch {
      /* gone */
    }
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift()!;
    for (const c of children.get(p) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

/** SIGKILLs the descendants of `pid` (processes a submission started), not `pid` itself. */
export function killDescendants(pid: number): number {
  let n = 0;
  for (const p of descendants(pid).reverse()) {
    try {
      process.kill(p, "SIGKILL");
      n++;
    } catch {
      /* gone */
    }
  }
  return n;
}

/**
 * Polls a process tree's RSS; calls `onExceeded` once when it goes over `limitMb`.
 * Returns a stop function.
 */
export function watchMemory(pid: number, limitMb: number, onExceeded: (mb: number) => void, intervalMs = 250): () => void {
  let fired = false;
  const timer = setInterval(() => {
    const mb = treeRssMb(pid);
    if (mb !== null && mb > limitMb && !fired) {
      fired = true;
      onExceeded(mb);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
