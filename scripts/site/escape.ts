/**
 * HTML escaping for everything the site does not sanitize: code, plain text, stream output,
 * tracebacks, attribute values. Every string from a notebook that is not passed through
 * sanitize-html goes through one of these before it reaches a page.
 */

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** JSON safe to put inside <script type="application/json"> (cannot close the tag). */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** "12,345" */
export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** 3 -> "3 s", 95 -> "1 min 35 s", 4000 -> "1 h 06 min"; undefined -> "—". */
export function formatSeconds(seconds: number | undefined): string {
  if (seconds === undefined) return "—";
  if (seconds < 10) return `${seconds.toFixed(1).replace(/\.0$/, "")} s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

/** 1536 -> "1.5 KB" */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
