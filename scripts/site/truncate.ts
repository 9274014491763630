/**
 * Keeps huge text outputs (training logs printed every step, giant tensor dumps) from swamping
 * a page: past a limit the text is cut to a head and a tail, and the caller shows a note
 * saying how much was left out. The full output stays in the downloadable executed notebook.
 */

export interface TextLimits {
  /** Most characters shown per output (default 20 000). */
  maxChars: number;
  /** Most lines shown per output (default 500). */
  maxLines: number;
}

export const DEFAULT_LIMITS: TextLimits = { maxChars: 20_000, maxLines: 500 };

export interface Truncated {
  head: string;
  tail: string;
  omittedChars: number;
  omittedLines: number;
}

/** Position just after the n-th "\n" from the start (or the end of text). */
function afterNthNewline(text: string, n: number): number {
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const nl = text.indexOf("\n", pos);
    if (nl < 0) return text.length;
    pos = nl + 1;
  }
  return pos;
}

/** Position just after the n-th "\n" counted from the end (0 if there are fewer). */
function afterNthNewlineFromEnd(text: string, n: number): number {
  let pos = text.endsWith("\n") ? text.length - 1 : text.length;
  for (let i = 0; i < n; i++) {
    const nl = text.lastIndexOf("\n", pos - 1);
    if (nl < 0) return 0;
    pos = nl;
  }
  return pos + 1;
}

function countLines(text: string): number {
  if (!text) return 0;
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return text.endsWith("\n") ? n : n + 1;
}

/**
 * Returns null when `text` is within the limits, else a head (about 80% of the budget) and a
 * tail (about 20%: the end of a training log is usually what matters) and what was omitted.
 */
export function truncateText(text: string, limits: TextLimits = DEFAULT_LIMITS): Truncated | null {
  if (text.length <= limits.maxChars && countLines(text) <= limits.maxLines) return null;
  const headLines = Math.max(1, Math.floor(limits.maxLines * 0.8));
  const tailLines = Math.max(0, limits.maxLines - headLines);
  const headChars = Math.max(1, Math.floor(limits.maxChars * 0.8));
  const tailChars = Math.max(0, limits.maxChars - headChars);
  const headEnd = Math.min(afterNthNewline(text, headLines), headChars);
  let tailStart = Math.max(afterNthNewlineFromEnd(text, tailLines), text.length - tailChars);
  if (tailLines === 0 || tailChars === 0) tailStart = text.length;
  tailStart = Math.max(tailStart, headEnd);
  const omitted = text.slice(headEnd, tailStart);
  return {
    head: text.slice(0, headEnd),
    tail: text.slice(tailStart),
    omittedChars: omitted.length,
    omittedLines: countLines(omitted),
  };
}
