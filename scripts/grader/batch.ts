/**
 * Grading many submissions: collect them (files, folders of files, folders of per-student folders),
 * grade `jobs` at a time (each submission has its own verdict process and its own kernel), write each
 * result as it finishes, then the scores CSV and an overall summary.
 */
import { promises as fs, statSync } from "node:fs";
import path from "node:path";
import type { GradingContext } from "./context";
import { GradeOptions, GradeResult, gradeSubmission } from "./grade";
import { scoresCsv, summaryText, Visibility, writeResult } from "./results";

export interface Submission {
  file: string;
  student: string;
}

async function listDir(dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).filter((n) => !n.startsWith(".") && n !== "__MACOSX").sort();
}

/**
 * Expands the inputs: a file is one submission (student = its stem); a folder contributes every file
 * directly inside it (any extension: a misnamed upload is still graded, as "not a notebook"), and
 * for each sub-folder its .ipynb files (student = the sub-folder's name, plus the stem if several).
 */
export async function collectSubmissions(inputs: string[]): Promise<Submission[]> {
  const out: Submission[] = [];
  for (const input of inputs) {
    let st;
    try {
      st = statSync(input);
    } catch {
      out.push({ file: input, student: path.basename(input).replace(/\.ipynb$/i, "") });
      continue;
    }
    if (!st.isDirectory()) {
      out.push({ file: input, student: path.basename(input).replace(/\.ipynb$/i, "") });
      continue;
    }
    for (const name of await listDir(input)) {
      const p = path.join(input, name);
      const s = statSync(p);
      if (s.isFile()) out.push({ file: p, student: name.replace(/\.ipynb$/i, "") });
      else if (s.isDirectory()) {
        const nbs = (await listDir(p)).filter((n) => n.toLowerCase().endsWith(".ipynb") && statSync(path.join(p, n)).isFile());
        for (const n of nbs) out.push({ file: path.join(p, n), student: nbs.length === 1 ? name : `${name}-${n.replace(/\.ipynb$/i, "")}` });
      }
    }
  }
  // Unique, filesystem-safe student names (they name the output folders).
  const seen = new Map<string, number>();
  for (const s of out) {
    const base = s.student.replace(/[^\w.@+-]+/g, "_").replace(/^\.+/, "_") || "submission";
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    s.student = n === 1 ? base : `${base}-${n}`;
  }
  return out;
}

export interface BatchOptions extends GradeOptions {
  jobs?: number;
  outDir: string;
  visibility?: Visibility;
  /** Called when a submission finishes. */
  onResult?: (r: GradeResult, done: number, total: number) => void;
  onStart?: (s: Submission) => void;
}

export async function gradeBatch(subs: Submission[], ctx: GradingContext, opts: BatchOptions): Promise<GradeResult[]> {
  const jobs = Math.max(1, Math.floor(opts.jobs ?? 1));
  const results: GradeResult[] = new Array(subs.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < subs.length) {
      const i = next++;
      const s = subs[i];
      opts.onStart?.(s);
      const r = await gradeSubmission(s.file, ctx, { ...opts, student: s.student });
      results[i] = r;
      try {
        await writeResult(path.join(opts.outDir, s.student), r, opts.visibility);
      } catch (e) {
        r.warnings.push(`could not write the result: ${(e as Error).message}`);
      }
      opts.onResult?.(r, ++done, subs.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, subs.length) }, worker));
  await fs.mkdir(opts.outDir, { recursive: true });
  await fs.writeFile(path.join(opts.outDir, "scores.csv"), scoresCsv(results));
  await fs.writeFile(path.join(opts.outDir, "summary.txt"), results.map(summaryText).join("\n\n") + "\n");
  return results;
}
