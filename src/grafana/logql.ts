import { parser } from '@grafana/lezer-logql';
import { MacroKind, macroKind, unknownVariableMessage, variableReferenceAt, VariableReference } from './template-variables.js';

// The grammar's tree types, without depending on @lezer/common directly.
type Tree = ReturnType<typeof parser.parse>;
type SyntaxNode = Tree['topNode'];

/** Options of {@link checkLogQL}. */
export interface CheckLogQLOptions {
  /**
   * Names of the dashboard variables the query may reference (`$name`,
   * `${name}`, `${name:format}`, `[[name]]`). Grafana's macros (`$__auto`,
   * `$__interval`, `$__rate_interval`, `$__range`, ...) are always allowed.
   * @default none
   */
  readonly variables?: readonly string[];
  /**
   * The label names a stream selector may use (the labels the stack's
   * collector puts on every stream). A matcher on any other label selects
   * nothing, so it is reported with the names that exist.
   * @default any label
   */
  readonly labels?: readonly string[];
}

/**
 * Checks a LogQL query as Loki would, before any container runs: its syntax
 * (with the `@grafana/lezer-logql` grammar that Grafana's own editor uses),
 * the escapes of its double-quoted strings, and Loki's rule that every stream
 * selector has a matcher that cannot match an empty value.
 *
 * Grafana macros are replaced by a value of the right kind before parsing;
 * dashboard variables must be declared in `options.variables`.
 *
 * @returns undefined when the query is valid, else a message with the line,
 *   the column, the reason and an excerpt with a caret under the problem
 */
export function checkLogQL(expr: string, options: CheckLogQLOptions = {}): string | undefined {
  if (expr.trim() === '') return 'the query is empty: write a LogQL query such as {compose_service="loki"}';
  const scan = scanTemplate(expr, options.variables ?? []);
  if (scan.problem) return scan.problem;

  // A dashboard variable outside a string may stand for a label name, a
  // duration or a number: try each until the query parses.
  const outside = scan.slots.filter((s) => !s.inString && s.kind === undefined);
  const choices = ['x', '1m', '1'];
  const varied = outside.slice(0, 5);
  let best: Substituted | undefined;
  for (let combo = 0; combo < choices.length ** varied.length; combo++) {
    const pick = new Map<Slot, string>();
    varied.forEach((slot, i) => pick.set(slot, choices[Math.floor(combo / choices.length ** i) % choices.length]));
    const candidate = substitute(expr, scan.slots, pick);
    if (!firstError(candidate.tree)) {
      best = candidate;
      break;
    }
    best ??= candidate;
  }
  const sub = best!;

  const err = firstError(sub.tree);
  if (err) {
    const pos = sub.toOriginal(err.from);
    const hint = hintFor(err);
    return problemAt(expr, pos, `${unexpected(expr, pos)}${hint ? `; ${hint}` : ''}`);
  }
  const labelCheck = options.labels ? [(t: Substituted) => checkSelectorLabels(t, options.labels!)] : [];
  for (const check of [checkStrings, checkSelectors, checkBinaryOperands, ...labelCheck]) {
    const p = check(sub);
    if (p) return problemAt(expr, sub.toOriginal(p.from), p.message);
  }
  return undefined;
}

/**
 * Whether a (valid) query returns log lines (`{...} |= ...`) or samples
 * (`rate({...}[5m])`, `sum by (...) (...)`).
 */
export function logqlKind(expr: string): 'log' | 'metric' {
  const top = parser.parse(expr).topNode.firstChild?.firstChild;
  return top?.name === 'LogExpr' ? 'log' : 'metric';
}

/**
 * A Go double-quoted string literal for `value` (what LogQL reads), so a
 * value from the stack (a project name, a service name) can never break the
 * query it is put into.
 */
export function logqlString(value: string): string {
  // JSON's escapes (\" \\ \n \t \uXXXX ...) are all valid Go escapes.
  return JSON.stringify(value);
}

/** A stream selector such as `{compose_project="aixcl"}` from label/value pairs (values quoted safely). */
export function streamSelector(matchers: Readonly<Record<string, string>>): string {
  return `{${Object.entries(matchers)
    .map(([k, v]) => `${k}=${logqlString(v)}`)
    .join(', ')}}`;
}

interface Slot {
  readonly ref: VariableReference;
  readonly inString: boolean;
  /** Undefined for a dashboard variable. */
  readonly kind: MacroKind | undefined;
}

interface Substituted {
  readonly text: string;
  readonly tree: Tree;
  toOriginal(pos: number): number;
}

/** Finds the variable references and whether each is inside a string; reports unknown ones. */
function scanTemplate(expr: string, declared: readonly string[]): { slots: Slot[]; problem?: string } {
  const slots: Slot[] = [];
  let quote: '"' | '`' | undefined;
  let comment = false;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (comment) {
      if (c === '\n') comment = false;
      continue;
    }
    if (quote === '"' && c === '\\') {
      i++;
      continue;
    }
    if (quote && c === quote) {
      quote = undefined;
      continue;
    }
    if (!quote && (c === '"' || c === '`')) {
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
    if (unknown) return { slots, problem: problemAt(expr, ref.start, unknown) };
    slots.push({ ref, inString: quote !== undefined, kind: macroKind(ref.name) });
    i = ref.end - 1;
  }
  return { slots };
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

function substitute(expr: string, slots: readonly Slot[], pick: Map<Slot, string>): Substituted {
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
    tree: parser.parse(text),
    toOriginal(pos: number): number {
      let delta = 0;
      for (const s of segments) {
        if (pos < s.nStart) break;
        if (pos < s.nEnd) return s.oStart;
        delta = s.oEnd - s.nEnd;
      }
      return pos + delta;
    },
  };
}

function firstError(tree: Tree): SyntaxNode | undefined {
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

/** Why an error node's surroundings failed, in LogQL terms, from the nearest rule that explains it. */
const HINTS: Record<string, string> = {
  Range: 'a range is a duration in brackets, such as [5m] or [$__auto]',
  LogRangeExpr: 'a range function such as rate() or count_over_time() needs a range such as [5m] or [$__auto] after its selector',
  Matcher: 'a label matcher is written label="value", label!="value", label=~"regex" or label!~"regex"',
  Selector: 'a stream selector is written {label="value", ...}, with at least one matcher and balanced braces',
  LineFilter: 'a line filter is written |= "text", != "text", |~ "regex" or !~ "regex"',
  RangeAggregationExpr: 'a range function is written like rate({...}[5m]); an offset goes inside it: rate({...}[5m] offset 1h)',
  VectorAggregationExpr: 'an aggregation is written like sum by (label) (<metric query>)',
  LogExpr: 'a log query is a selector followed by pipeline stages; a [range] belongs inside a range function such as count_over_time()',
};

function hintFor(node: SyntaxNode): string | undefined {
  for (let p: SyntaxNode | null = node.parent; p; p = p.parent) {
    const h = HINTS[p.name];
    if (h) return h;
  }
  return undefined;
}

function unexpected(expr: string, pos: number): string {
  if (expr.slice(pos).trim() === '') return 'the query ends too early';
  const rest = expr.slice(pos);
  const token = /^(?:"(?:[^"\\\n]|\\.){0,20}"?|`[^`]{0,20}`?|[A-Za-z0-9_$.]+|\S)/.exec(rest)![0];
  return `unexpected '${token.length > 22 ? token.slice(0, 20) + '...' : token}'`;
}

/** `invalid LogQL at line L, column C: message`, then the line with a caret under the position. */
function problemAt(expr: string, pos: number, message: string): string {
  const lineStart = expr.lastIndexOf('\n', pos - 1) + 1;
  const lineEndIdx = expr.indexOf('\n', pos);
  const line = expr.slice(lineStart, lineEndIdx < 0 ? expr.length : lineEndIdx);
  const lineNo = expr.slice(0, lineStart).split('\n').length;
  // Keep tabs in the padding so the caret lines up under a tabbed line.
  const pad = line.slice(0, pos - lineStart).replace(/[^\t]/g, ' ');
  return `invalid LogQL at line ${lineNo}, column ${pos - lineStart + 1}: ${message}\n    ${line}\n    ${pad}^`;
}

interface NodeProblem {
  readonly from: number;
  readonly message: string;
}

function nodesNamed(tree: Tree, name: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  tree.iterate({
    enter: (n) => {
      if (n.name === name) out.push(n.node);
    },
  });
  return out;
}

/** Loki unquotes strings the way Go does: `"\d"` is an error, not a regex class. */
function checkStrings(sub: Substituted): NodeProblem | undefined {
  for (const n of nodesNamed(sub.tree, 'String')) {
    const r = unquoteGo(sub.text.slice(n.from, n.to));
    if (r.error) return { from: n.from + r.error.offset, message: r.error.message };
  }
  return undefined;
}

/** The matchers of a stream selector (not those of label filters in the pipeline). */
function selectorMatchers(sel: SyntaxNode): SyntaxNode[] {
  const matchers: SyntaxNode[] = [];
  const walk = (n: SyntaxNode) => {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.name === 'Matcher') matchers.push(c);
      else if (c.name === 'Matchers') walk(c);
    }
  };
  walk(sel);
  return matchers;
}

/** Loki rejects a selector whose every matcher could match an empty value (`{}`, `{a=~".*"}`). */
function checkSelectors(sub: Substituted): NodeProblem | undefined {
  for (const sel of nodesNamed(sub.tree, 'Selector')) {
    const matchers = selectorMatchers(sel);
    const anchored = matchers.some((m) => {
      const op = m.getChild('Eq') ? '=' : m.getChild('Re') ? '=~' : undefined;
      const str = m.getChild('String');
      if (!op || !str) return false;
      const value = unquoteGo(sub.text.slice(str.from, str.to)).value;
      if (value === undefined) return false;
      if (op === '=') return value !== '';
      return matchesEmpty(value) === false;
    });
    if (!anchored) {
      return {
        from: sel.from,
        message:
          'a stream selector needs at least one matcher that cannot match an empty value: Loki rejects {} and ' +
          'selectors like {app=~".*"}; add one such as compose_project="<project>" or use =~".+"',
      };
    }
  }
  return undefined;
}

/** Every stream selector matcher names a label that streams carry. */
function checkSelectorLabels(sub: Substituted, labels: readonly string[]): NodeProblem | undefined {
  for (const sel of nodesNamed(sub.tree, 'Selector')) {
    for (const m of selectorMatchers(sel)) {
      const id = m.getChild('Identifier');
      const name = id ? sub.text.slice(id.from, id.to) : undefined;
      if (id && name !== undefined && !labels.includes(name)) {
        return { from: id.from, message: `no stream has the label '${name}': the stack's collector sets ${labels.join(', ')}` };
      }
    }
  }
  return undefined;
}

/** `or`, `and`, `+`, ... combine metric queries; Loki refuses log queries as operands. */
function checkBinaryOperands(sub: Substituted): NodeProblem | undefined {
  for (const op of nodesNamed(sub.tree, 'BinOpExpr')) {
    for (let c = op.firstChild; c; c = c.nextSibling) {
      if (c.name === 'Expr' && c.firstChild?.name === 'LogExpr') {
        return {
          from: c.from,
          message: 'a binary operator (or, and, unless, +, ...) combines metric queries, not log queries: wrap the log query in a range function such as count_over_time({...}[5m])',
        };
      }
    }
  }
  return undefined;
}

/** Would the (Go RE2) regex match the empty string? Undefined when JavaScript cannot tell. */
function matchesEmpty(goRegex: string): boolean | undefined {
  return anchoredRegex(goRegex)?.test('');
}

/**
 * A Go RE2 regex as Loki applies it to a label value (anchored at both
 * ends), as a JavaScript RegExp; undefined when JavaScript cannot read it.
 * A leading `(?i)` / `(?s)` becomes a flag.
 */
export function anchoredRegex(goRegex: string): RegExp | undefined {
  let re = goRegex;
  let flags = '';
  const m = /^\(\?([imsU]+)\)/.exec(re);
  if (m) {
    re = re.slice(m[0].length);
    if (m[1].includes('i')) flags += 'i';
    if (m[1].includes('s')) flags += 's';
  }
  try {
    return new RegExp(`^(?:${re})$`, flags);
  } catch {
    return undefined;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"' };

/** Go's strconv.Unquote for `"..."` and `` `...` `` literals, with the offset of a bad escape. */
function unquoteGo(lit: string): { value?: string; error?: { offset: number; message: string } } {
  if (lit.startsWith('`')) return { value: lit.slice(1, -1).replace(/\r/g, '') };
  let value = '';
  for (let i = 1; i < lit.length - 1; i++) {
    const c = lit[i];
    if (c !== '\\') {
      value += c;
      continue;
    }
    const e = lit[i + 1];
    if (e in SIMPLE_ESCAPES) {
      value += SIMPLE_ESCAPES[e];
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
          `'\\${e ?? ''}' is not an escape Loki accepts in a "..." string (it reads them as Go does): ` +
          `write '\\\\${e ?? ''}' for a regex escape, or use a \`...\` string, where backslashes are literal`,
      },
    };
  }
  return { value };
}
