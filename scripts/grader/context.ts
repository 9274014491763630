/**
 * Everything the grader trusts, loaded once before any submission runs: the instructor notebooks
 * (lesson models), the release manifest (checksums of locked cells), the hidden tests (bundled), the
 * sandbox code (bundled) and the snapshot of TensorFlow.js and gan-course. Nothing here is read from
 * disk again while submissions are graded.
 */
import { existsSync, readdirSync } from "node:fs";
import { promises as fs } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readNotebook } from "../runner/notebook";
import { bundleTs } from "./bundle";
import { checkHiddenAgainstLesson, findHiddenTests, HiddenSuite, loadHiddenTests } from "./hidden";
import { Lesson, lessonFromNotebook, totalPoints } from "./lesson";
import { listLessonNotebooks, Manifest, ManifestLesson, readManifest } from "./release";
import { probeModules, Snapshot, takeSnapshot } from "./snapshot";
import type { SandboxCode } from "./verdicts";

export const GRADER_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(GRADER_DIR, "..", "..");

export interface GraderPaths {
  repoRoot?: string;
  notebooksDir?: string;
  testsDir?: string;
  manifestPath?: string;
}

export interface LessonBundle {
  lesson: Lesson;
  hidden: HiddenSuite | null;
  /** From the manifest when the lesson was released, else computed from the notebook. */
  checksums: Map<string, string>;
  manifest: ManifestLesson | null;
  /** Modules an exercise may import in grading: what the lesson's own cells import. */
  allowedModules: string[];
  /** Problems with the lesson or its tests, and staleness warnings. */
  warnings: string[];
  maxScore: number;
}

export interface ContextOptions extends GraderPaths {
  /** Load the snapshot of tf/gan-course (default true; tests may skip it for speed). */
  snapshot?: boolean;
}

function importedModules(source: string): string[] {
  const out: string[] = [];
  const re = /(?:^|\n)\s*import\s+(?:type\s+)?(?:[^"';]*?\s+from\s+)?["']([^"']+)["']/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(source))) if (!/^\s*import\s+type\b/.test(m[0])) out.push(m[1]);
  return out;
}

export class GradingContext {
  readonly repoRoot: string;
  readonly notebooksDir: string;
  readonly testsDir: string;
  readonly manifestPath: string;
  readonly lessons = new Map<string, LessonBundle>();
  manifest: Manifest | null = null;
  code!: SandboxCode;
  snapshot: Snapshot | null = null;
  /** V8 code caches of the snapshot's modules, filled by the first verdict process. */
  readonly codeCache = new Map<string, Buffer>();
  readonly warnings: string[] = [];

  private constructor(opts: GraderPaths) {
    this.repoRoot = path.resolve(opts.repoRoot ?? REPO_ROOT);
    this.notebooksDir = path.resolve(opts.notebooksDir ?? path.join(this.repoRoot, "notebooks"));
    this.testsDir = path.resolve(opts.testsDir ?? path.join(this.repoRoot, "tests", "exercises"));
    this.manifestPath = path.resolve(opts.manifestPath ?? path.join(this.repoRoot, "release", "manifest.json"));
  }

  static async create(opts: ContextOptions = {}): Promise<GradingContext> {
    const ctx = new GradingContext(opts);
    // The probe (a separate process loading tf and gan-course) runs while this one bundles.
    const probe = opts.snapshot !== false ? probeModules(ctx.repoRoot) : undefined;
    probe?.catch(() => {});
    ctx.code = {
      childJs: bundleTs(path.join(GRADER_DIR, "sandbox", "child.ts")),
      workerJs: bundleTs(path.join(GRADER_DIR, "sandbox", "worker.ts")),
    };
    ctx.manifest = existsSync(ctx.manifestPath) ? await readManifest(ctx.manifestPath) : null;
    if (!ctx.manifest) ctx.warnings.push(`no release manifest at ${path.relative(process.cwd(), ctx.manifestPath) || ctx.manifestPath}: locked-cell checksums are computed from the current instructor notebooks (run \`npm run release\`)`);
    for (const file of listLessonNotebooks(ctx.notebooksDir)) {
      const text = await fs.readFile(file, "utf8");
      const nb = await readNotebook(file);
      const lesson = lessonFromNotebook(nb, file, text);
      const warnings = [...lesson.problems];
      const hiddenFile = findHiddenTests(ctx.testsDir, lesson.stem);
      let hidden: HiddenSuite | null = null;
      if (hiddenFile) {
        try {
          hidden = loadHiddenTests(hiddenFile);
        } catch (e) {
          warnings.push(`hidden tests: ${(e as Error).message}`);
        }
      }
      warnings.push(...checkHiddenAgainstLesson(lesson, hidden));
      const entry = ctx.manifest?.lessons[lesson.stem] ?? null;
      let checksums = new Map(lesson.cells.filter((c) => c.role !== "exercise").map((c) => [c.id, c.sha256] as [string, string]));
      if (entry) {
        checksums = new Map(Object.entries(entry.locked));
        if (entry.notebook_sha256 !== lesson.notebookSha256) warnings.push(`the instructor notebook changed since the release: edits are detected against the released checksums, cells are restored from the current notebook`);
        if (hidden && entry.hidden_tests_sha256 && entry.hidden_tests_sha256 !== hidden.sha256) warnings.push("the hidden tests changed since the release");
      }
      const modules = new Set(["@tensorflow/tfjs", "gan-course"]);
      for (const c of lesson.cells) if (c.cellType === "code") for (const m of importedModules(c.source)) modules.add(m);
      ctx.lessons.set(lesson.stem, {
        lesson,
        hidden,
        checksums,
        manifest: entry,
        allowedModules: [...modules],
        warnings,
        maxScore: totalPoints(lesson),
      });
    }
    if (opts.snapshot !== false) {
      const own = (dir: string) => {
        const out: string[] = [];
        for (const e of readdirSync(dir, { withFileTypes: true })) {
          const p = path.join(dir, e.name);
          if (e.isDirectory()) out.push(...own(p));
          else if (e.isFile()) out.push(p);
        }
        return out;
      };
      const extra = [
        ...[...ctx.lessons.values()].flatMap((b) => [b.lesson.notebookPath, ...(b.hidden ? [b.hidden.file] : [])]),
        ...(existsSync(ctx.manifestPath) ? [ctx.manifestPath] : []),
        ...own(GRADER_DIR),
        ...own(path.join(GRADER_DIR, "..", "runner")),
      ];
      ctx.snapshot = await takeSnapshot(ctx.repoRoot, extra, probe);
    }
    return ctx;
  }

  /** Lessons that have exercises. */
  gradedLessons(): LessonBundle[] {
    return [...this.lessons.values()].filter((b) => b.lesson.exercises.length > 0);
  }
}
