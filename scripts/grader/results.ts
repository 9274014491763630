/**
 * What grading writes: Gradescope's results.json
 * (https://gradescope-autograders.readthedocs.io/en/latest/specs/ - score, tests with name, score,
 * max_score, output, visibility), a readable summary, the full result for instructors
 * (grading.json), the executed notebook, and, for a batch, a CSV of scores per student and exercise.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { writeNotebook } from "../runner/notebook";
import type { GradeResult } from "./grade";

export type Visibility = "visible" | "hidden" | "after_due_date" | "after_published";

export interface GradescopeTest {
  name: string;
  number?: string;
  score: number;
  max_score: number;
  status?: "passed" | "failed";
  output: string;
  visibility: Visibility;
}

export interface GradescopeResults {
  score: number;
  max_score: number;
  execution_time: number;
  output: string;
  output_format: "text";
  visibility: Visibility;
  stdout_visibility: "hidden" | "visible";
  tests: GradescopeTest[];
  extra_data: Record<string, unknown>;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The readable summary of one result (also Gradescope's top-level output). */
export function summaryText(r: GradeResult): string {
  const lines: string[] = [];
  const head = `${path.basename(r.file)} - ${r.lesson ? `lesson ${r.lesson}` : "unknown lesson"} - ${round(r.score)}/${r.maxScore} points`;
  lines.push(head);
  if (r.message) lines.push(`  ${r.message}`);
  if (r.status === "graded") {
    for (const e of r.exercises) {
      const mark = e.score === e.points ? "✓" : e.score > 0 ? "~" : "✗";
      lines.push(`  ${mark} ${e.id}  ${round(e.score)}/${e.points}${e.status === "missing" ? "  (missing)" : ""}`);
      for (const c of e.cases) {
        lines.push(`      ${c.passed ? "✓" : "✗"} ${c.name} (${round(c.score)}/${c.points})${c.passed ? "" : `: ${oneLine(c.message ?? "failed")}`}`);
      }
      for (const n of e.notes) if (!e.cases.some((c) => c.message === n)) lines.push(`      note: ${oneLine(n, 600)}`);
    }
  }
  if (r.lockedChanges.length) {
    lines.push("  Locked cells changed in the submission (restored to the released version before running):");
    for (const c of r.lockedChanges) lines.push(`    - cell ${c.index} (${c.cellType}, id ${c.cellId}) was ${c.kind}`);
  }
  if (r.notes.length) {
    lines.push("  Notes:");
    for (const n of r.notes) lines.push(`    - ${oneLine(n, 600)}`);
  }
  return lines.join("\n");
}

function oneLine(s: string, max = 300): string {
  const t = s.replace(/\s*\n\s*/g, " ⏎ ").trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

export function gradescopeResults(r: GradeResult, visibility: Visibility = "visible"): GradescopeResults {
  const tests: GradescopeTest[] = [];
  r.exercises.forEach((e, i) => {
    e.cases.forEach((c, j) => {
      tests.push({
        name: `${e.id}: ${c.name}`,
        number: `${i + 1}.${j + 1}`,
        score: round(c.score),
        max_score: c.points,
        status: c.passed ? "passed" : "failed",
        output: c.passed ? "passed" : [c.message ?? "failed", ...(j === e.cases.findIndex((x) => !x.passed) ? e.notes.filter((n) => n !== c.message) : [])].join("\n\n"),
        visibility,
      });
    });
    if (!e.cases.length) tests.push({ name: e.id, number: `${i + 1}`, score: 0, max_score: e.points, status: "failed", output: e.feedback, visibility });
  });
  if (r.status !== "graded" && !tests.length) tests.push({ name: "Submission", score: 0, max_score: r.maxScore, status: "failed", output: r.message ?? "not graded", visibility });
  if (r.lockedChanges.length) {
    tests.push({
      name: "Locked cells",
      score: 0,
      max_score: 0,
      output: `These cells differ from the released notebook; they were restored before grading:\n${r.lockedChanges.map((c) => `- cell ${c.index} (${c.cellType}, id ${c.cellId}): ${c.kind}`).join("\n")}`,
      visibility,
    });
  }
  if (r.notes.length) tests.push({ name: "Notes", score: 0, max_score: 0, output: r.notes.map((n) => `- ${n}`).join("\n"), visibility });
  return {
    score: round(r.score),
    max_score: r.maxScore,
    execution_time: Math.round(r.seconds),
    output: summaryText(r),
    output_format: "text",
    visibility,
    stdout_visibility: "hidden",
    tests,
    extra_data: { student: r.student, lesson: r.lesson, status: r.status, file: path.basename(r.file) },
  };
}

/** Writes results.json, summary.txt, grading.json and executed.ipynb into `dir`. */
export async function writeResult(dir: string, r: GradeResult, visibility: Visibility = "visible"): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, "results.json"), JSON.stringify(gradescopeResults(r, visibility), null, 1) + "\n");
  await fs.writeFile(path.join(dir, "summary.txt"), summaryText(r) + "\n");
  const { executed, ...full } = r;
  await fs.writeFile(path.join(dir, "grading.json"), JSON.stringify(full, null, 1) + "\n");
  if (executed) {
    try {
      await writeNotebook(path.join(dir, "executed.ipynb"), executed);
    } catch {
      /* the results above are what matters */
    }
  }
}

function csvField(v: unknown): string {
  const s = v === null || v === undefined ? "" : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per student; one column per exercise (its score), in lesson order. */
export function scoresCsv(results: GradeResult[]): string {
  const exerciseIds: string[] = [];
  for (const r of results) for (const e of r.exercises) if (!exerciseIds.includes(e.id)) exerciseIds.push(e.id);
  const header = ["student", "file", "lesson", "status", "score", "max_score", ...exerciseIds, "message"];
  const rows = results.map((r) => {
    const byId = new Map(r.exercises.map((e) => [e.id, e.score]));
    const msg = r.message ?? (r.lockedChanges.length ? `${r.lockedChanges.length} locked cell(s) changed` : "");
    return [r.student, path.basename(r.file), r.lesson ?? "", r.status, round(r.score), r.maxScore, ...exerciseIds.map((id) => (byId.has(id) ? round(byId.get(id)!) : "")), msg];
  });
  return [header, ...rows].map((row) => row.map(csvField).join(",")).join("\n") + "\n";
}
