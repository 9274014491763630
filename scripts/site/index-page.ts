/**
 * The index page: the course's lessons in order, each with its title (first markdown heading),
 * a one-line summary, the number of graded exercises and the run time the headless runner
 * measured ("—" when the notebook has no run metadata). Notebooks that could not be read are
 * listed at the end so a missing lesson never goes unnoticed.
 */
import { escapeHtml, formatSeconds } from "./escape";
import { pageShell, type SiteInfo } from "./layout";
import type { LessonInfo } from "./lesson";
import { createPageContext, renderMarkdownInline } from "./markdown";

export interface IndexEntry extends LessonInfo {
  href: string;
}

export interface SkippedNotebook {
  file: string;
  error: string;
}

const CLOCK_ICON =
  '<svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><circle cx="8" cy="8" r="6.25" fill="none" stroke="currentColor" stroke-width="1.5"/><path d="M8 4.5V8l2.5 1.6" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/></svg>';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function indexPage(site: SiteInfo, lessons: IndexEntry[], skipped: SkippedNotebook[]): string {
  const ctx = createPageContext();
  const totalExercises = lessons.reduce((s, l) => s + l.exercises, 0);
  const totalPoints = lessons.reduce((s, l) => s + l.points, 0);
  const timed = lessons.filter((l) => l.seconds !== undefined);
  const totalSeconds = timed.reduce((s, l) => s + (l.seconds ?? 0), 0);
  const stats = [
    plural(lessons.length, "lesson"),
    `${plural(totalExercises, "graded exercise")}${totalPoints ? ` (${plural(totalPoints, "point")})` : ""}`,
    ...(timed.length ? [`${formatSeconds(totalSeconds)} to run every notebook`] : []),
  ];

  const items = lessons.map((l) => {
    const summary = l.summarySource ? `<p class="lesson-summary">${renderMarkdownInline(l.summarySource, ctx)}</p>` : "";
    const exercises = l.exercises ? `${plural(l.exercises, "exercise")}${l.points ? ` · ${plural(l.points, "pt")}` : ""}` : "No exercises";
    return `<li class="lesson-card">
<a class="lesson-link" href="${escapeHtml(l.href)}">
<span class="lesson-number">${escapeHtml(l.number)}</span>
<span class="lesson-main"><span class="lesson-title">${renderMarkdownInline(l.titleSource, ctx)}</span>${summary}</span>
<span class="lesson-meta"><span class="meta-item meta-exercises${l.exercises ? "" : " muted"}">${escapeHtml(exercises)}</span><span class="meta-item meta-time" title="Run time of the executed notebook">${CLOCK_ICON}${escapeHtml(formatSeconds(l.seconds))}</span></span>
</a>
</li>`;
  });

  const list = lessons.length
    ? `<div class="lesson-list-head" aria-hidden="true"><span>Lesson</span><span>Exercises · run time</span></div><ol class="lesson-list">\n${items.join("\n")}\n</ol>`
    : `<p class="empty">No lessons have been built yet: run the notebooks first (the runner writes them to build/notebooks/).</p>`;
  const skippedHtml = skipped.length
    ? `<section class="skipped" aria-label="Notebooks not built"><h2>Not built</h2><p>${plural(skipped.length, "notebook")} could not be read and ${skipped.length === 1 ? "is" : "are"} missing from this site:</p><ul>${skipped
        .map((s) => `<li><code>${escapeHtml(s.file)}</code>: ${escapeHtml(s.error)}</li>`)
        .join("")}</ul></section>`
    : "";

  const body = `<main class="content index-content" id="content">
<section class="hero">
<h1>${escapeHtml(site.title)}</h1>
<p class="hero-description">${escapeHtml(site.description)}</p>
<p class="hero-stats">${stats.map((s) => `<span>${escapeHtml(s)}</span>`).join("")}</p>
</section>
${list}
${skippedHtml}
</main>`;
  return pageShell({
    site,
    title: site.title,
    description: site.description,
    math: ctx.mathCount,
    charts: 0,
    bodyClass: "page-index",
    body,
  });
}
