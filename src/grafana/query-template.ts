import type { parser } from '@grafana/lezer-logql';
import { MacroKind, macroKind, unknownVariableMessage, variableReferenceAt, VariableReference } from './template-variables.js';

/*
 * What the LogQL and PromQL checkers share: a query as Grafana sends it holds
 * template references (`$var`, `${var}`, `$__rate_interval`, ...) that the
 * grammar does not know. Each is replaced by a stand-in of the right kind
 * (a duration for `$__auto`, a word for a variable), the text is parsed with
 * the real grammar, and every position found in it is mapped back to the
 * query as written, for an excerpt with a caret.
 */

/** A parse tree of a lezer grammar (both grammars build @lezer/common's trees). */
export type Tree = ReturnType<typeof parser.parse>;
/** A node of a lezer parse tree. */
export type SyntaxNode = Tree['topNode'];

/** The query language, for messages. */
export type QueryLanguage = 'LogQL' | 'PromQL';

/** One template reference in a query. */
export interface Slot {
  readonly ref: VariableReference;
  readonly inString: boolean;
  /** Undefined for a dashboard variable. */
  readonly kind: MacroKind | undefined;
}

/** A query with its references replaced by stand-ins, parsed. */
export interface Substituted {
  readonly text: string;
  readonly tree: Tree;
  /** The position in the query as written of a position in {@link text}. */
  toOriginal(pos: number): number;
  /** Whether a template reference stands in the range [from, to) of {@link text}: its text there is not the query's own. */
  hasStandIn(from: number, to: number): boolean;
}

/** A problem at a position of the substituted text. */
export interface NodeProblem {
  readonly from: number;
  readonly message: string;
}

/** What the checker needs of a query language. */
export interface QueryGrammar {
  readonly language: QueryLanguage;
  /** Characters that open a string (a `$` inside one is still a template reference). */
  readonly quotes: readonly string[];
  /** Parses with the language's lezer grammar. */
  parse(text: string): Tree;
  /** Why a rule failed, by the name of the grammar rule around an error. */
  readonly hints: Readonly<Record<string, string>>;
  /** A valid query, for the message about an empty one. */
  readonly example: string;
}

/** A check of a parsed query: the first problem it finds, at a position of the substituted text. */
export type QueryCheck = (sub: Substituted) => NodeProblem | undefined;

/**
 * Checks a query with template references: substitutes them, parses, reports
 * the first syntax error (with the hint of the rule around it) or the first
 * problem of `checks`, as a message with the line, column and a caret.
 */
export function checkQuery(grammar: QueryGrammar, expr: string, variables: readonly string[], checks: readonly QueryCheck[]): string | undefined {
  const { language } = grammar;
  if (expr.trim() === '') return `the query is empty: write a ${language} query such as ${grammar.example}`;
  const scan = scanTemplate(expr, variables, language, grammar.quotes);
  if (scan.problem) return scan.problem;
  const sub = parseTemplate(expr, scan.slots, (text) => grammar.parse(text));
  const err = firstError(sub.tree);
  if (err) {
    const pos = sub.toOriginal(err.from);
    const hint = hintFor(err, grammar.hints);
    return problemAt(language, expr, pos, `${unexpected(expr, pos)}${hint ? `; ${hint}` : ''}`);
  }
  for (const check of checks) {
    const p = check(sub);
    if (p) return problemAt(language, expr, sub.toOriginal(p.from), p.message);
  }
  return undefined;
}

/**
 * Finds the template references and whether each is inside a string; reports
 * the first unknown one. `#` starts a comment in both languages.
 */
export function scanTemplate(
  expr: string,
  declared: readonly string[],
  language: QueryLanguage,
  quotes: readonly string[],
): { slots: Slot[]; problem?: string } {
  const slots: Slot[] = [];
  let quote: string | undefined;
  let comment = false;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (comment) {
      if (c === '\n') comment = false;
      continue;
    }
    if (quote && quote !== '`' && c === '\\') {
      i++;
      continue;
    }
    if (quote && c === quote) {
      quote = undefined;
      continue;
    }
    if (!quote && quotes.includes(c)) {
      quote = c;
      continue;
    }
    if (!quote && c === '#') {
      comment = true;
      continue;
    }
    if (c !== '$' && c !== '[') continue;
    const ref = variableReferenceAt(expr, i);
    if (!ref) continue;
    const unknown = unknownVariableMessage(ref, declared);
    if (unknown) return { slots, problem: problemAt(language, expr, ref.start, unknown) };
    slots.push({ ref, inString: quote !== undefined, kind: macroKind(ref.name) });
    i = ref.end - 1;
  }
  return { slots };
}

/**
 * Parses the query with each reference replaced by a stand-in. A dashboard
 * variable outside a string may stand for a label name, a duration or a
 * number: each choice is tried until the query parses (the first five such
 * variables; the rest stand for a word).
 */
export function parseTemplate(expr: string, slots: readonly Slot[], parse: (text: string) => Tree): Substituted {
  const outside = slots.filter((s) => !s.inString && s.kind === undefined);
  const choices = ['x', '1m', '1'];
  const varied = outside.slice(0, 5);
  let best: Substituted | undefined;
  for (let combo = 0; combo < choices.length ** varied.length; combo++) {
    const pick = new Map<Slot, string>();
    varied.forEach((slot, i) => pick.set(slot, choices[Math.floor(combo / choices.length ** i) % choices.length]));
    const candidate = substitute(expr, slots, pick, parse);
    if (!firstError(candidate.tree)) return candidate;
    best ??= candidate;
  }
  return best!;
}

/** The value that stands in for a reference; none contains a quote or a backslash. */
function standIn(slot: Slot, pick: Map<Slot, string>): string {
  switch (slot.kind) {
    case MacroKind.DURATION:
      return '1m';
    case MacroKind.NUMBER:
      return '60';
    case MacroKind.TEXT:
      return 'x';
    default:
      return slot.inString ? 'x' : (pick.get(slot) ?? 'x');
  }
}

function substitute(expr: string, slots: readonly Slot[], pick: Map<Slot, string>, parse: (text: string) => Tree): Substituted {
  let text = '';
  let last = 0;
  const segments: Array<{ oStart: number; oEnd: number; nStart: number; nEnd: number }> = [];
  for (const slot of slots) {
    text += expr.slice(last, slot.ref.start);
    const value = standIn(slot, pick);
    segments.push({ oStart: slot.ref.start, oEnd: slot.ref.end, nStart: text.length, nEnd: text.length + value.length });
    text += value;
    last = slot.ref.end;
  }
  text += expr.slice(last);
  return {
    text,
    tree: parse(text),
    toOriginal(pos: number): number {
      let delta = 0;
      for (const s of segments) {
        if (pos < s.nStart) break;
        if (pos < s.nEnd) return s.oStart;
        delta = s.oEnd - s.nEnd;
      }
      return pos + delta;
    },
    hasStandIn(from: number, to: number): boolean {
      return segments.some((s) => s.nStart < to && s.nEnd > from);
    },
  };
}

/** The first error node of a tree, if any. */
export function firstError(tree: Tree): SyntaxNode | undefined {
  let found: SyntaxNode | undefined;
  tree.iterate({
    enter: (n) => {
      if (found) return false;
      if (n.type.isError) {
        found = n.node;
        return false;
      }
      return undefined;
    },
  });
  return found;
}

/** The nodes of a tree with the given name, in document order. */
export function nodesNamed(tree: Tree, name: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  tree.iterate({
    enter: (n) => {
      if (n.name === name) out.push(n.node);
    },
  });
  return out;
}

/** The hint of the nearest enclosing rule that has one. */
export function hintFor(node: SyntaxNode, hints: Readonly<Record<string, string>>): string | undefined {
  for (let p: SyntaxNode | null = node.parent; p; p = p.parent) {
    const h = hints[p.name];
    if (h) return h;
  }
  return undefined;
}

/** `unexpected 'token'` for the text at a position, or that the query ends too early. */
export function unexpected(expr: string, pos: number): string {
  if (expr.slice(pos).trim() === '') return 'the query ends too early';
  const rest = expr.slice(pos);
  const token = /^(?:"(?:[^"\\\n]|\\.){0,20}"?|'(?:[^'\\\n]|\\.){0,20}'?|`[^`]{0,20}`?|[A-Za-z0-9_$.:]+|\S)/.exec(rest)![0];
  return `unexpected '${token.length > 22 ? token.slice(0, 20) + '...' : token}'`;
}

/** `invalid <language> at line L, column C: message`, then the line with a caret under the position. */
export function problemAt(language: QueryLanguage, expr: string, pos: number, message: string): string {
  const lineStart = expr.lastIndexOf('\n', pos - 1) + 1;
  const lineEndIdx = expr.indexOf('\n', pos);
  const line = expr.slice(lineStart, lineEndIdx < 0 ? expr.length : lineEndIdx);
  const lineNo = expr.slice(0, lineStart).split('\n').length;
  // Keep tabs in the padding so the caret lines up under a tabbed line.
  const pad = line.slice(0, pos - lineStart).replace(/[^\t]/g, ' ');
  return `invalid ${language} at line ${lineNo}, column ${pos - lineStart + 1}: ${message}\n    ${line}\n    ${pad}^`;
}

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/**
 * Go's strconv.Unquote for `"..."`, `'...'` and `` `...` `` literals (what
 * Loki's and Prometheus's lexers apply), with the offset of a bad escape.
 */
export function unquoteGo(lit: string, language: QueryLanguage = 'LogQL'): { value?: string; error?: { offset: number; message: string } } {
  if (lit.startsWith('`')) return { value: lit.slice(1, -1).replace(/\r/g, '') };
  const q = lit[0];
  let value = '';
  for (let i = 1; i < lit.length - 1; i++) {
    const c = lit[i];
    if (c !== '\\') {
      value += c;
      continue;
    }
    const e = lit[i + 1];
    if (e in SIMPLE_ESCAPES || e === q) {
      value += SIMPLE_ESCAPES[e] ?? e;
      i++;
      continue;
    }
    const hex = { x: 2, u: 4, U: 8 }[e as 'x' | 'u' | 'U'];
    if (hex && new RegExp(`^[0-9a-fA-F]{${hex}}$`).test(lit.slice(i + 2, i + 2 + hex))) {
      value += String.fromCodePoint(parseInt(lit.slice(i + 2, i + 2 + hex), 16));
      i += 1 + hex;
      continue;
    }
    if (/^[0-7]{3}$/.test(lit.slice(i + 1, i + 4)) && parseInt(lit.slice(i + 1, i + 4), 8) <= 255) {
      value += String.fromCharCode(parseInt(lit.slice(i + 1, i + 4), 8));
      i += 3;
      continue;
    }
    return {
      error: {
        offset: i,
        message:
          `'\\${e ?? ''}' is not an escape ${language === 'LogQL' ? 'Loki' : 'Prometheus'} accepts in a ${q}...${q} string (it reads them as Go does): ` +
          `write '\\\\${e ?? ''}' for a regex escape, or use a \`...\` string, where backslashes are literal`,
      },
    };
  }
  return { value };
}
