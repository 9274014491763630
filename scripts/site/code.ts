/**
 * Build-time syntax highlighting with highlight.js (only the grammars a TypeScript course
 * needs are registered, which keeps start-up fast). The colours come from a highlight.js
 * theme copied into the site's assets (see assets.ts).
 */
import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import css from "highlight.js/lib/languages/css";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import markdown from "highlight.js/lib/languages/markdown";
import plaintext from "highlight.js/lib/languages/plaintext";
import python from "highlight.js/lib/languages/python";
import shell from "highlight.js/lib/languages/shell";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import { escapeHtml } from "./escape";

const LANGUAGES = { bash, css, javascript, json, markdown, plaintext, python, shell, typescript, xml };
for (const [name, grammar] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, grammar);

/** Highlighted, escaped HTML for the inside of a <code> element; plain escaped text if the language is unknown. */
export function highlightCode(code: string, language = "typescript"): string {
  const lang = language.toLowerCase();
  if (lang && hljs.getLanguage(lang)) {
    try {
      return hljs.highlight(code, { language: lang, ignoreIllegals: true }).value;
    } catch {
      // fall through to plain text
    }
  }
  return escapeHtml(code);
}

/** The highlight.js name for a language ("ts" -> "typescript"), or "plaintext". */
export function languageName(language: string | undefined): string {
  const lang = (language ?? "").toLowerCase();
  const grammar = lang ? hljs.getLanguage(lang) : undefined;
  if (!grammar) return "plaintext";
  return Object.keys(LANGUAGES).find((n) => hljs.getLanguage(n) === grammar) ?? lang;
}
