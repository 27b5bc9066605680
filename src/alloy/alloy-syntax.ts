/*
 * A typed model of the Grafana Alloy configuration syntax this library writes, and its printer.
 * The grammar is Alloy's (docs/sources/get-started/syntax.md and expressions/types_and_values.md of
 * grafana/alloy; syntax/scanner/scanner.go): a file is a list of statements; a statement is an
 * attribute (`name = value`) or a block (`name "label" { ... }`, the label optional); a component is
 * a top-level block whose name has a dot (`loki.write "default"`). Values are literals (strings,
 * numbers, booleans, null, arrays, objects) or expressions; the only expressions written here are
 * references to another component's export (`loki.write.default.receiver`) and function calls
 * (`sys.env("X")`), each its own class, so a reference cannot be mistyped as a string.
 *
 * The printer writes what `alloy fmt` writes (syntax/printer of grafana/alloy): tabs for indentation,
 * the `=` of consecutive attributes aligned (its tabwriter), empty blocks as `name { }`, a blank line
 * between top-level blocks, arrays of plain values on one line and objects one key a line with a
 * trailing comma. test/alloy-real-binary.test.ts checks that `alloy fmt` leaves generated files unchanged.
 */

const ALLOY_REF = Symbol.for('aixcl-cdk.AlloyRef');
const ALLOY_CALL = Symbol.for('aixcl-cdk.AlloyCall');

/** A reference to an export of a component (`discovery.docker.containers.targets`). */
export class AlloyRef {
  /** True for references, across copies of this library (a stack file may load another copy). */
  public static isRef(x: unknown): x is AlloyRef {
    return typeof x === 'object' && x !== null && ALLOY_REF in x;
  }

  constructor(
    /** The component's name, e.g. `discovery.docker`. */
    public readonly component: string,
    /** The component's label, e.g. `containers`. */
    public readonly label: string,
    /** The export, e.g. `targets`. */
    public readonly exportName: string,
  ) {
    Object.defineProperty(this, ALLOY_REF, { value: true });
  }

  public toString(): string {
    return `${this.component}.${this.label}.${this.exportName}`;
  }
}

/** A call of one of Alloy's standard library functions (`sys.env("HOSTNAME")`). */
export class AlloyCall {
  /** True for calls, across copies of this library. */
  public static isCall(x: unknown): x is AlloyCall {
    return typeof x === 'object' && x !== null && ALLOY_CALL in x;
  }

  constructor(
    /** The function, e.g. `sys.env`. */
    public readonly fn: string,
    public readonly args: readonly AlloyValue[],
  ) {
    Object.defineProperty(this, ALLOY_CALL, { value: true });
  }
}

/** An object literal: `{ key = value, ... }`, keys in the order given. */
export interface AlloyObject {
  readonly [key: string]: AlloyValue;
}

/** A value of an attribute. */
export type AlloyValue = string | number | boolean | null | readonly AlloyValue[] | AlloyObject | AlloyRef | AlloyCall;

/** `name = value`. */
export interface AlloyAttribute {
  readonly kind: 'attribute';
  readonly name: string;
  readonly value: AlloyValue;
}

/** `name "label" { body }` (the label optional). */
export interface AlloyBlock {
  readonly kind: 'block';
  readonly name: string;
  readonly label?: string;
  readonly body: readonly AlloyStatement[];
}

/** A statement of a file or a block body. */
export type AlloyStatement = AlloyAttribute | AlloyBlock;

/** An attribute statement. */
export function attr(name: string, value: AlloyValue): AlloyAttribute {
  return { kind: 'attribute', name, value };
}

/** Attribute statements from a record, in its order; undefined values are left out. */
export function attrs(values: Readonly<Record<string, AlloyValue | undefined>>): AlloyAttribute[] {
  return Object.entries(values)
    .filter((e): e is [string, AlloyValue] => e[1] !== undefined)
    .map(([k, v]) => attr(k, v));
}

/** A block with no label (a nested block, e.g. `endpoint { ... }`). */
export function block(name: string, body: readonly AlloyStatement[]): AlloyBlock {
  return { kind: 'block', name, body };
}

/** A labelled block: a component (`loki.write "default" { ... }`). */
export function component(name: string, label: string, body: readonly AlloyStatement[]): AlloyBlock {
  return { kind: 'block', name, label, body };
}

/** A reference to an export of a component block. */
export function exportOf(c: AlloyBlock, exportName: string): AlloyRef {
  if (c.label === undefined) throw new Error(`block ${c.name} has no label: only components (labelled blocks) have exports`);
  return new AlloyRef(c.name, c.label, exportName);
}

/** `sys.env(name)`: an environment variable of Alloy's process, read when the file is loaded. */
export function envVar(name: string): AlloyCall {
  return new AlloyCall('sys.env', [name]);
}

const IDENTIFIER = /^[\p{L}_][\p{L}\p{Nd}_]*$/u;

/** Whether a name is an Alloy identifier (letters, digits, `_`; not starting with a digit). */
export function isAlloyIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** Whether a block name is valid: identifiers joined by dots (`loki.source.docker`). */
export function isAlloyBlockName(name: string): boolean {
  return name.split('.').every(isAlloyIdentifier);
}

const GO_ESCAPES: Readonly<Record<string, string>> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};
/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const GO_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/**
 * A double-quoted Alloy string, written as Go's strconv.Quote writes it: `alloy fmt` writes block labels and
 * quoted object keys so (`%q`, syntax/printer/walker.go), and keeps string values as written, so one way of
 * quoting keeps every string as `alloy fmt` leaves it. Alloy reads Go's escapes (syntax/scanner/scanner.go,
 * scanEscape). A lone UTF-16 surrogate has no UTF-8 form and is refused.
 */
export function quoteAlloy(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) throw new Error(`${JSON.stringify(s)} holds a lone UTF-16 surrogate, which is not text Alloy can read`);
    if (GO_ESCAPES[ch]) out += GO_ESCAPES[ch];
    else if (GO_PRINTABLE.test(ch)) out += ch;
    else if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

function isObject(v: AlloyValue): v is AlloyObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !AlloyRef.isRef(v) && !AlloyCall.isCall(v);
}

/** A value that is printed on one line: not an object, and not an array holding one. */
function isFlat(v: AlloyValue): boolean {
  if (isObject(v)) return false;
  if (Array.isArray(v)) return v.every(isFlat);
  return true;
}

function renderKey(key: string): string {
  return isAlloyIdentifier(key) ? key : quoteAlloy(key);
}

/** Lines of `key = value` (or `name = value`) with the `=` aligned as `alloy fmt` aligns them. */
function alignedLines(entries: readonly (readonly [string, AlloyValue])[], indent: string, separator: string): string[] {
  const out: string[] = [];
  // A run of single-line entries aligns; an entry with a multi-line value closes its run (it is
  // aligned with the entries before it, as tabwriter's column block ends after its first line).
  let run: Array<{ key: string; lines: string[] }> = [];
  const flush = () => {
    // Go's tabwriter measures a cell in runes (text/tabwriter: utf8.RuneCount), not UTF-16 units.
    const runes = (k: string) => [...k].length;
    const width = Math.max(0, ...run.map((e) => runes(e.key)));
    for (const e of run) {
      const [first, ...rest] = e.lines;
      out.push(`${indent}${e.key}${' '.repeat(width - runes(e.key))} = ${first}${rest.length ? '' : separator}`);
      rest.forEach((l, i) => out.push(i === rest.length - 1 ? `${l}${separator}` : l));
    }
    run = [];
  };
  for (const [k, v] of entries) {
    const lines = renderValue(v, indent).split('\n');
    run.push({ key: renderKey(k), lines });
    if (lines.length > 1) flush();
  }
  flush();
  return out;
}

/** A value as Alloy text; continuation lines of a multi-line value carry their own indentation. */
function renderValue(v: AlloyValue, indent: string): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return quoteAlloy(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`Alloy has no number ${v}`);
    return String(v);
  }
  if (AlloyRef.isRef(v)) return v.toString();
  if (AlloyCall.isCall(v)) return `${v.fn}(${v.args.map((a) => renderValue(a, indent)).join(', ')})`;
  if (Array.isArray(v)) {
    if (isFlat(v)) return `[${v.map((x) => renderValue(x, indent)).join(', ')}]`;
    // An array of objects: `[{`, the object's lines, `}, {`, ..., `}]`, as Alloy's own docs write targets.
    const inner = `${indent}\t`;
    const parts = v.map((x) => {
      if (!isObject(x)) throw new Error('an array that holds objects may hold only objects');
      return alignedLines(Object.entries(x), inner, ',').join('\n');
    });
    return `[{\n${parts.join(`\n${indent}}, {\n`)}\n${indent}}]`;
  }
  const entries = Object.entries(v as AlloyObject);
  if (entries.length === 0) return '{}';
  return `{\n${alignedLines(entries, `${indent}\t`, ',').join('\n')}\n${indent}}`;
}

function renderBlock(b: AlloyBlock, indent: string): string[] {
  const head = `${indent}${b.name}${b.label !== undefined ? ` ${quoteAlloy(b.label)}` : ''}`;
  if (b.body.length === 0) return [`${head} { }`];
  return [`${head} {`, ...renderBody(b.body, `${indent}\t`), `${indent}}`];
}

/** A body: a run of attributes aligned, each block and each run set apart by a blank line. */
function renderBody(body: readonly AlloyStatement[], indent: string): string[] {
  const out: string[] = [];
  let pending: AlloyAttribute[] = [];
  let previous: 'none' | 'attributes' | 'block' = 'none';
  const flushAttributes = () => {
    if (!pending.length) return;
    if (previous !== 'none') out.push('');
    out.push(
      ...alignedLines(
        pending.map((a) => [a.name, a.value] as const),
        indent,
        '',
      ),
    );
    pending = [];
    previous = 'attributes';
  };
  for (const s of body) {
    if (s.kind === 'attribute') {
      pending.push(s);
      continue;
    }
    flushAttributes();
    if (previous !== 'none') out.push('');
    out.push(...renderBlock(s, indent));
    previous = 'block';
  }
  flushAttributes();
  return out;
}

/** The text of an Alloy configuration file. */
export function renderAlloy(statements: readonly AlloyStatement[], header?: string): string {
  const lines = renderBody(statements, '');
  const comment = header
    ? `${header
        .split('\n')
        .map((l) => (l ? `// ${l}` : '//'))
        .join('\n')}\n\n`
    : '';
  return `${comment}${lines.join('\n')}\n`;
}
