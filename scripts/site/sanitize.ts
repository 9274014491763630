/**
 * sanitize-html policies for everything on the site that is HTML written by someone else:
 * text/html and image/svg+xml outputs, and the HTML that markdown produces (raw HTML is
 * allowed in markdown cells and text/markdown outputs). No scripts, no event handlers, no
 * <style> (it would restyle the whole page), no iframes/objects, no javascript: URLs, and no
 * resource loads from the internet (images only from data: URIs or relative paths).
 * The page's Content-Security-Policy (see layout.ts) is a second line of defence.
 */
import sanitizeHtml from "sanitize-html";

/** CSS values without url() to anything but a local #fragment, expression(), escapes or ";". */
const SAFE_CSS_VALUE = /^(?:(?!url\((?!\s*['"]?#)|expression|javascript|image-set|[\\;<>@]).)*$/i;

const TEXT_STYLES = [
  "color", "background-color", "text-align", "font-weight", "font-style", "text-decoration",
  "vertical-align", "white-space", "padding", "padding-left", "padding-right", "border",
  "border-bottom", "border-top", "border-collapse", "width", "max-width", "min-width", "font-size",
];

function styleMap(props: string[]): Record<string, RegExp[]> {
  return Object.fromEntries(props.map((p) => [p, [SAFE_CSS_VALUE]]));
}

const IMG_DATA_URI = /^data:image\/(png|jpeg|gif|webp|svg\+xml)[;,]/i;

const BASE_TAGS = [
  ...sanitizeHtml.defaults.allowedTags.filter((t) => !["nav", "main", "header", "footer"].includes(t)),
  "img", "details", "summary", "del", "ins", "figure", "figcaption", "input",
];

function baseOptions(allowIds: boolean): sanitizeHtml.IOptions {
  return {
    allowedTags: BASE_TAGS,
    allowedAttributes: {
      "*": ["class", "title", "lang", "dir", "align", "style", ...(allowIds ? ["id", "aria-hidden"] : [])],
      a: ["href", "name", "target", "rel"],
      img: ["src", "alt", "width", "height"],
      td: ["colspan", "rowspan", "valign"],
      th: ["colspan", "rowspan", "valign", "scope"],
      ol: ["start", "type", "reversed"],
      col: ["span"],
      colgroup: ["span"],
      time: ["datetime"],
      data: ["value"],
      details: ["open"],
      input: ["type", "checked", "disabled"],
    },
    allowedStyles: { "*": styleMap(TEXT_STYLES) },
    allowedSchemes: ["http", "https", "mailto"],
    allowedSchemesByTag: { img: ["data"] },
    allowProtocolRelative: false,
    disallowedTagsMode: "discard",
    exclusiveFilter: (frame) =>
      (frame.tag === "input" && frame.attribs.type !== "checkbox") ||
      // An <img> that cannot load would show as a broken image: outputs may only embed data: images.
      (frame.tag === "img" && !(allowIds ? frame.attribs.src : IMG_DATA_URI.test(frame.attribs.src ?? ""))),
    transformTags: {
      img: (tagName, attribs) => {
        const src = attribs.src ?? "";
        if (/^data:/i.test(src) && !IMG_DATA_URI.test(src)) delete attribs.src;
        return { tagName, attribs };
      },
      a: (tagName, attribs) => {
        if (/^https?:/i.test(attribs.href ?? "")) attribs.rel = "noopener noreferrer";
        if (attribs.target && attribs.target !== "_blank") delete attribs.target;
        return { tagName, attribs };
      },
    },
  };
}

const HTML_OUTPUT_OPTIONS = baseOptions(false);
const MARKDOWN_OPTIONS = baseOptions(true);

/** text/html outputs (e.g. tables from display.html). Scripts, handlers and <style> removed. */
export function sanitizeOutputHtml(html: string): string {
  return sanitizeHtml(html, HTML_OUTPUT_OPTIONS);
}

/** HTML rendered from markdown; keeps the heading ids the renderer assigns. */
export function sanitizeMarkdownHtml(html: string): string {
  return sanitizeHtml(html, MARKDOWN_OPTIONS);
}

// --- SVG ---------------------------------------------------------------------------------

const SVG_TAGS = [
  "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan",
  "defs", "clipPath", "mask", "linearGradient", "radialGradient", "stop", "title", "desc", "marker",
  "pattern", "symbol", "use",
];

const SVG_ATTRIBUTES = [
  "id", "class", "style", "transform", "d", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx",
  "ry", "dx", "dy", "width", "height", "points", "viewBox", "preserveAspectRatio", "xmlns",
  "xmlns:xlink", "version", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width",
  "stroke-opacity", "stroke-linecap", "stroke-linejoin", "stroke-dasharray", "stroke-dashoffset",
  "stroke-miterlimit", "opacity", "clip-path", "clip-rule", "clipPathUnits", "mask", "font-family",
  "font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline", "alignment-baseline",
  "letter-spacing", "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform",
  "spreadMethod", "fx", "fy", "markerWidth", "markerHeight", "refX", "refY", "orient", "markerUnits",
  "marker-start", "marker-mid", "marker-end", "patternUnits", "patternTransform", "visibility",
  "display", "vector-effect", "shape-rendering", "text-rendering", "paint-order", "href", "xlink:href",
];

const SVG_STYLES = [
  "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-linecap",
  "stroke-linejoin", "stroke-dasharray", "stroke-dashoffset", "stroke-miterlimit", "opacity",
  "font-family", "font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline",
  "clip-path", "mask", "stop-color", "stop-opacity", "visibility", "display", "color", "paint-order",
  "letter-spacing", "white-space", "shape-rendering",
];

/** Attributes whose values may reference something: only local "#id" / "url(#id)" allowed. */
const SVG_REFERENCE_ATTRS = new Set(["href", "xlink:href", "clip-path", "mask", "fill", "stroke", "marker-start", "marker-mid", "marker-end"]);

const SVG_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: SVG_TAGS,
  allowedAttributes: { "*": SVG_ATTRIBUTES },
  allowedStyles: { "*": styleMap(SVG_STYLES) },
  allowedSchemes: [],
  allowedSchemesAppliedToAttributes: [],
  disallowedTagsMode: "discard",
  nonTextTags: ["script", "style", "textarea", "option", "noscript", "foreignObject"],
  parser: { xmlMode: true, lowerCaseTags: false, lowerCaseAttributeNames: false },
  transformTags: {
    "*": (tagName, attribs) => {
      for (const name of Object.keys(attribs)) {
        if (!SVG_REFERENCE_ATTRS.has(name)) continue;
        const v = attribs[name].trim();
        const isRef = name.endsWith("href") ? /^#[\w.:-]*$/.test(v) : !/url\(/i.test(v) || /^url\(\s*['"]?#[\w.:-]+['"]?\s*\)$/i.test(v);
        if (!isRef) delete attribs[name];
      }
      return { tagName, attribs };
    },
  },
};

/** image/svg+xml outputs, inlined into the page. Returns "" when nothing drawable is left. */
export function sanitizeSvg(svg: string): string {
  const clean = sanitizeHtml(svg, SVG_OPTIONS).trim();
  return /^<svg[\s>]/.test(clean) ? clean : "";
}
