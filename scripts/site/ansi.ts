/**
 * Terminal text as notebooks store it: ANSI escape codes (colours from loggers, test runners,
 * progress bars) and carriage returns. `ansiToHtml` turns SGR colour codes into escaped HTML
 * spans and drops every other escape sequence; `stripAnsi` drops them all.
 *
 * SGR reference: ECMA-48 §8.3.117 ("Select Graphic Rendition").
 */
import { escapeHtml } from "./escape";

// CSI (ESC [ ... final byte), OSC (ESC ] ... BEL | ESC \), and two-byte escapes (ESC + one char).
const ANSI_RE = /\x1b\[([0-?]*)([ -/]*)([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]?|\x9b[0-?]*[ -/]*[@-~]/g;

const COLOR_NAMES = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"];

export function stripAnsi(text: string): string {
  return text.replace(ANSI_RE, "");
}

/**
 * Applies carriage returns and backspaces the way a terminal would show the final state:
 * "50%\r100%" -> "100%" (progress bars), "ab\bc" -> "ac". "\r\n" is a plain newline.
 */
export function applyControlChars(text: string): string {
  if (!text.includes("\r") && !text.includes("\b")) return text;
  return text
    .replace(/\r+\n/g, "\n")
    .split("\n")
    .map((line) => {
      const cr = line.lastIndexOf("\r", line.length - 2);
      if (cr >= 0) line = line.slice(cr + 1);
      line = line.replace(/\r$/, "");
      if (!line.includes("\b")) return line;
      const out: string[] = [];
      for (const ch of line) {
        if (ch === "\b") out.pop();
        else out.push(ch);
      }
      return out.join("");
    })
    .join("\n");
}

interface Style {
  fg?: string; // class name part ("red", "bright-red") or "rgb(...)"
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
}

function xterm256(n: number): string {
  if (n < 16) return (n < 8 ? "" : "bright-") + COLOR_NAMES[n % 8];
  if (n < 232) {
    const i = n - 16;
    const level = (v: number) => (v === 0 ? 0 : 55 + v * 40);
    return `rgb(${level(Math.floor(i / 36))},${level(Math.floor(i / 6) % 6)},${level(i % 6)})`;
  }
  const g = 8 + (n - 232) * 10;
  return `rgb(${g},${g},${g})`;
}

function applySgr(style: Style, params: number[]): Style {
  const s = { ...style };
  if (params.length === 0) params = [0];
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (p === 0) {
      for (const k of Object.keys(s)) delete (s as Record<string, unknown>)[k];
    } else if (p === 1) s.bold = true;
    else if (p === 2) s.dim = true;
    else if (p === 3) s.italic = true;
    else if (p === 4) s.underline = true;
    else if (p === 22) s.bold = s.dim = false;
    else if (p === 23) s.italic = false;
    else if (p === 24) s.underline = false;
    else if (p >= 30 && p <= 37) s.fg = COLOR_NAMES[p - 30];
    else if (p >= 90 && p <= 97) s.fg = "bright-" + COLOR_NAMES[p - 90];
    else if (p === 39) delete s.fg;
    else if (p >= 40 && p <= 47) s.bg = COLOR_NAMES[p - 40];
    else if (p >= 100 && p <= 107) s.bg = "bright-" + COLOR_NAMES[p - 100];
    else if (p === 49) delete s.bg;
    else if (p === 38 || p === 48) {
      let color: string | undefined;
      if (params[i + 1] === 5 && params[i + 2] !== undefined) {
        color = xterm256(params[i + 2] & 255);
        i += 2;
      } else if (params[i + 1] === 2 && params[i + 4] !== undefined) {
        const [r, g, b] = params.slice(i + 2, i + 5).map((v) => Math.max(0, Math.min(255, v)));
        color = `rgb(${r},${g},${b})`;
        i += 4;
      }
      if (color) s[p === 38 ? "fg" : "bg"] = color;
    }
  }
  return s;
}

function openSpan(s: Style): string {
  const classes: string[] = [];
  const styles: string[] = [];
  if (s.fg) s.fg.startsWith("rgb") ? styles.push(`color:${s.fg}`) : classes.push(`ansi-${s.fg}-fg`);
  if (s.bg) s.bg.startsWith("rgb") ? styles.push(`background-color:${s.bg}`) : classes.push(`ansi-${s.bg}-bg`);
  if (s.bold) classes.push("ansi-bold");
  if (s.dim) classes.push("ansi-dim");
  if (s.italic) classes.push("ansi-italic");
  if (s.underline) classes.push("ansi-underline");
  if (!classes.length && !styles.length) return "";
  return `<span${classes.length ? ` class="${classes.join(" ")}"` : ""}${styles.length ? ` style="${styles.join(";")}"` : ""}>`;
}

/** Escaped HTML with SGR colours as <span class="ansi-…">; all other escape codes removed. */
export function ansiToHtml(text: string): string {
  let html = "";
  let style: Style = {};
  let open = "";
  let last = 0;
  const emit = (chunk: string) => {
    if (!chunk) return;
    html += open ? `${open}${escapeHtml(chunk)}</span>` : escapeHtml(chunk);
  };
  for (const m of text.matchAll(ANSI_RE)) {
    emit(text.slice(last, m.index));
    last = (m.index ?? 0) + m[0].length;
    if (m[3] === "m" && m[0].startsWith("\x1b[") && !m[2]) {
      const params = m[1] === "" ? [] : m[1].split(/[;:]/).map((v) => (v === "" ? 0 : Number.parseInt(v, 10) || 0));
      style = applySgr(style, params);
      open = openSpan(style);
    }
  }
  emit(text.slice(last));
  return html;
}
