/**
 * From notebook cells to the JavaScript an exercise is graded with.
 *
 * A graded exercise runs in a fresh isolate with only what it needs: the lesson's setup cell (the
 * first code cell: imports, setupLesson), the instructor's earlier cells that declare names the
 * exercise uses (found transitively through the TypeScript AST), and the student's exercise cell.
 * Earlier *exercise* cells come from the instructor's solution, so one exercise's verdict never
 * depends on another's. Cells can be marked `"gan_course": {"grader": "setup"}` to be always included.
 *
 * tslab treats cells as one growing module with top-level await; a slice becomes the body of one
 * async function, so each cell is rewritten first:
 *   import * as tf from "m"        ->  var tf = __import("m");
 *   import { a, b as c } from "m"  ->  var { a, b: c } = __import("m");
 *   import d from "m"              ->  var d = __import("m", true);
 *   const x = … / let x = …        ->  var x = …      (a later cell may redeclare x, as in tslab)
 *   class C …                      ->  var C = class C …;
 *   export …                       ->  …              (type-only imports and `declare` vanish)
 * then transpiled TS -> ES2022 with `typescript`'s transpileModule (no type checking: the kernel run
 * reports type errors; grading is about behaviour).
 */
import ts from "typescript";

export interface Declaration {
  name: string;
  kind: "function" | "class" | "variable" | "import" | "enum" | "type";
  /** Interfaces and type aliases: no runtime value. */
  typeOnly: boolean;
  imported: boolean;
}

function parse(source: string): ts.SourceFile {
  return ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

function bindingNames(name: ts.BindingName, out: string[]): void {
  if (ts.isIdentifier(name)) out.push(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindingNames(el.name, out);
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return !!(ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === kind));
}

/** Names a cell declares at its top level. */
export function topLevelDeclarations(source: string): Declaration[] {
  const sf = parse(source);
  const out: Declaration[] = [];
  const add = (name: string, kind: Declaration["kind"]) =>
    out.push({ name, kind, typeOnly: kind === "type", imported: kind === "import" });
  for (const st of sf.statements) {
    if (hasModifier(st, ts.SyntaxKind.DeclareKeyword)) continue;
    if (ts.isFunctionDeclaration(st) && st.name) add(st.name.text, "function");
    else if (ts.isClassDeclaration(st) && st.name) add(st.name.text, "class");
    else if (ts.isEnumDeclaration(st)) add(st.name.text, "enum");
    else if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) add(st.name.text, "type");
    else if (ts.isVariableStatement(st)) {
      const names: string[] = [];
      for (const d of st.declarationList.declarations) bindingNames(d.name, names);
      names.forEach((n) => add(n, "variable"));
    } else if (ts.isImportDeclaration(st) && st.importClause && !st.importClause.isTypeOnly) {
      const c = st.importClause;
      if (c.name) add(c.name.text, "import");
      const nb = c.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) add(nb.name.text, "import");
      if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) if (!el.isTypeOnly) add(el.name.text, "import");
    } else if (ts.isImportEqualsDeclaration(st)) add(st.name.text, "import");
  }
  return out;
}

/** Every identifier a cell mentions as a value or type (property names excluded); an over-approximation of its free names. */
export function referencedNames(source: string): Set<string> {
  const sf = parse(source);
  const names = new Set<string>();
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node)) {
      const p = node.parent;
      const isName =
        (ts.isPropertyAccessExpression(p) && p.name === node) ||
        (ts.isQualifiedName(p) && p.right === node) ||
        ((ts.isPropertyAssignment(p) ||
          ts.isPropertyDeclaration(p) ||
          ts.isMethodDeclaration(p) ||
          ts.isPropertySignature(p) ||
          ts.isMethodSignature(p) ||
          ts.isGetAccessorDeclaration(p) ||
          ts.isSetAccessorDeclaration(p) ||
          ts.isEnumMember(p)) &&
          p.name === node) ||
        (ts.isBindingElement(p) && p.propertyName === node) ||
        ((ts.isImportSpecifier(p) || ts.isExportSpecifier(p)) && p.propertyName === node) ||
        ((ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) && p.label === node);
      if (!isName) names.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return names;
}

/** Syntax errors of a cell, one line each ("3:5 - ';' expected."). */
export function syntaxErrors(source: string): string[] {
  const sf = parse(source);
  const diags = (sf as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  return diags.map((d) => {
    const pos = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start) : null;
    const where = pos ? `${pos.line + 1}:${pos.character + 1} - ` : "";
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function importRewrite(st: ts.ImportDeclaration): string {
  const m = JSON.stringify((st.moduleSpecifier as ts.StringLiteral).text);
  const c = st.importClause;
  if (!c) return `__import(${m});`;
  if (c.isTypeOnly) return "";
  const parts: string[] = [];
  if (c.name) parts.push(`var ${c.name.text} = __import(${m}, true);`);
  const nb = c.namedBindings;
  if (nb && ts.isNamespaceImport(nb)) parts.push(`var ${nb.name.text} = __import(${m});`);
  if (nb && ts.isNamedImports(nb)) {
    const els = nb.elements.filter((e) => !e.isTypeOnly);
    if (els.length) {
      const specs = els.map((e) => (e.propertyName ? `${e.propertyName.text}: ${e.name.text}` : e.name.text));
      parts.push(`var { ${specs.join(", ")} } = __import(${m});`);
    } else if (!c.name) parts.push(`__import(${m});`);
  }
  return parts.join(" ");
}

/** Rewrites a cell so that its top-level declarations can live in one function body with other cells' (see the header). */
export function rewriteCell(source: string): string {
  const sf = parse(source);
  const edits: Edit[] = [];
  for (const st of sf.statements) {
    const start = st.getStart(sf);
    if (hasModifier(st, ts.SyntaxKind.DeclareKeyword)) {
      edits.push({ start, end: st.end, text: "" });
      continue;
    }
    if (ts.isImportDeclaration(st)) {
      edits.push({ start, end: st.end, text: importRewrite(st) });
      continue;
    }
    if (ts.isImportEqualsDeclaration(st)) {
      const ref = st.moduleReference;
      const text = ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression) ? `var ${st.name.text} = __import(${JSON.stringify(ref.expression.text)});` : "";
      edits.push({ start, end: st.end, text });
      continue;
    }
    if (ts.isExportDeclaration(st) || ts.isExportAssignment(st)) {
      edits.push({ start, end: st.end, text: "" });
      continue;
    }
    // `export` / `default` modifiers go.
    if (ts.canHaveModifiers(st)) {
      for (const mod of ts.getModifiers(st) ?? []) {
        if (mod.kind === ts.SyntaxKind.ExportKeyword || mod.kind === ts.SyntaxKind.DefaultKeyword) {
          edits.push({ start: mod.getStart(sf), end: mod.end, text: "" });
        }
      }
    }
    if (ts.isVariableStatement(st)) {
      const list = st.declarationList;
      const flags = list.flags;
      if (flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) {
        // The keyword is the first token of the declaration list.
        const kwStart = list.getStart(sf);
        const kw = sf.text.slice(kwStart).match(/^(let|const)\b/);
        if (kw) edits.push({ start: kwStart, end: kwStart + kw[1].length, text: "var" });
      }
    } else if (ts.isClassDeclaration(st) && st.name) {
      const classKw = st.getChildren(sf).find((c) => c.kind === ts.SyntaxKind.ClassKeyword);
      const at = classKw ? classKw.getStart(sf) : start;
      edits.push({ start: at, end: at, text: `var ${st.name.text} = ` });
      edits.push({ start: st.end, end: st.end, text: ";" });
    }
  }
  edits.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = source;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

export interface TranspileResult {
  js: string;
  /** Syntax errors, one line each; empty when it compiled. */
  errors: string[];
}

/** Rewrites (rewriteCell) and transpiles one cell to ES2022 JavaScript. */
export function transpileCell(source: string): TranspileResult {
  const errors = syntaxErrors(source);
  if (errors.length) return { js: "", errors };
  const rewritten = rewriteCell(source);
  const r = ts.transpileModule(rewritten, {
    reportDiagnostics: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleDetection: ts.ModuleDetectionKind.Force,
      esModuleInterop: true,
      sourceMap: false,
      removeComments: false,
    },
  });
  const diag = (r.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (diag.length) return { js: "", errors: diag.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")) };
  return { js: r.outputText.replace(/^export \{\};\s*$/m, ""), errors: [] };
}

export interface SliceCell {
  id: string;
  source: string;
  /** Always include (setup cell, or gan_course.grader = "setup"). */
  forced: boolean;
}

/**
 * Chooses which earlier cells an exercise needs: walking back from the exercise, a cell is taken
 * if it declares a name still needed (then the names it uses become needed). Returns the chosen
 * cells in notebook order.
 */
export function chooseDependencies(earlier: SliceCell[], exerciseSources: string[]): SliceCell[] {
  const needed = new Set<string>();
  for (const s of exerciseSources) for (const n of referencedNames(s)) needed.add(n);
  const chosen: SliceCell[] = [];
  for (let i = earlier.length - 1; i >= 0; i--) {
    const c = earlier[i];
    let decls: string[];
    try {
      decls = topLevelDeclarations(c.source).map((d) => d.name);
    } catch {
      decls = [];
    }
    if (!c.forced && !decls.some((d) => needed.has(d))) continue;
    chosen.unshift(c);
    for (const d of decls) needed.delete(d);
    for (const n of referencedNames(c.source)) needed.add(n);
  }
  return chosen;
}
