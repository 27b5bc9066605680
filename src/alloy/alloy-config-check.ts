import { ALLOY_COMPONENTS, ALLOY_CONFIG_BLOCKS, ALLOY_REFERENCE_VERSION, ALLOY_SCHEMAS } from './alloy-reference.js';
import type { AlloyAttributeSchema, AlloyBlockSchema, AlloySchema, AlloyStability } from './alloy-reference-types.js';
import { AlloyCall, AlloyRef, isAlloyBlockName, isAlloyIdentifier, quoteAlloy, type AlloyBlock, type AlloyStatement, type AlloyValue } from './alloy-syntax.js';
import { closest, didYouMean } from '../core/did-you-mean.js';
import { parseGoDuration } from '../core/go-duration.js';
import { GoRegexAnchoring, goRegexProblem } from '../core/re2.js';

/*
 * Checks an Alloy file, as the model of alloy-syntax.ts holds it, against the generated reference of the Alloy
 * release the library runs (alloy-reference.ts), before anything is written: what `alloy validate` would refuse
 * is said here once per problem, with the fix. Every component name is checked (did-you-mean from all that
 * Alloy registers); the components with a full schema in the table (the ones this library writes, or may) have
 * their attributes, blocks, value types, references and regular expressions checked too. A valid component
 * without a schema gets the name check only: its body is Alloy's to judge.
 */

/** A problem in an Alloy file: where (`loki.write "default" > endpoint > url`) and what to do. */
export interface AlloyIssue {
  readonly path: string;
  readonly message: string;
}

type Issue = AlloyIssue;
const isBlockSchema = (e: AlloyAttributeSchema | AlloyBlockSchema): e is AlloyBlockSchema => 'block' in e;
const head = (b: AlloyBlock) => (b.label !== undefined ? `${b.name} ${quoteAlloy(b.label)}` : b.name);
const within = (path: string, name: string) => (path ? `${path} > ${name}` : name);

/** What an identifier is made of (syntax/scanner/identifier.go). */
const IDENTIFIER_RULE = 'letters, digits and _, not starting with a digit';

/** How Alloy is run: which components it lets a file use. */
export interface AlloyRunOptions {
  /**
   * Alloy's `--stability.level`: components below it are refused (internal/featuregate/featuregate.go).
   * @default 'generally-available'
   */
  readonly stabilityLevel?: Exclude<AlloyStability, 'community'>;
  /**
   * Alloy's `--feature.community-components.enabled`: community components are refused without it.
   * @default false
   */
  readonly communityComponents?: boolean;
}

const STABILITY_ORDER: readonly AlloyStability[] = ['experimental', 'public-preview', 'generally-available'];

/** Every problem in the file; an empty list when `alloy validate` has nothing to refuse that the table knows of. */
export function alloyConfigIssues(statements: readonly AlloyStatement[], options: AlloyRunOptions = {}): AlloyIssue[] {
  const level = options.stabilityLevel ?? 'generally-available';
  const issues: Issue[] = [];
  const blocks = statements.filter((s): s is AlloyBlock => s.kind === 'block');
  // `declare "name" { ... }` defines a custom component `name`, and `import.file "ns" { ... }` (import.*) the
  // components `ns.<name>`, which Alloy cannot know before it imports them: a component whose first name part is
  // one of these is accepted unchecked (internal/validator/component_registry.go Get).
  const declared = new Set(blocks.filter((b) => (b.name === 'declare' || b.name.startsWith('import.')) && b.label !== undefined).map((b) => b.label!));
  const isCustom = (name: string) => declared.has(name.split('.')[0]);
  const known = [...Object.keys(ALLOY_COMPONENTS), ...Object.keys(ALLOY_CONFIG_BLOCKS), ...declared];
  const seen = new Map<string, number>();

  for (const s of statements) {
    if (s.kind === 'attribute') {
      issues.push({ path: s.name, message: `an attribute cannot stand at the top level of an Alloy file: put it inside the block it belongs to` });
      continue;
    }
    const path = head(s);
    const count = (seen.get(path) ?? 0) + 1;
    seen.set(path, count);
    if (!isAlloyBlockName(s.name)) {
      issues.push({ path, message: `'${s.name}' is not a block name: write identifiers (${IDENTIFIER_RULE}) joined by dots` });
      continue;
    }
    if (s.label !== undefined && !isAlloyIdentifier(s.label)) {
      // syntax/parser/internal.go: "expected block label to be a valid identifier".
      issues.push({
        path,
        message: `the label ${quoteAlloy(s.label)} is not an identifier (${IDENTIFIER_RULE}): rename it, e.g. ${quoteAlloy(asIdentifier(s.label))}`,
      });
    }
    const config = ALLOY_CONFIG_BLOCKS[s.name];
    const component = ALLOY_COMPONENTS[s.name];
    if (config) {
      // internal/validator/validate.go validateConfigs: "argument blocks only allowed inside a module".
      if (s.name === 'argument' || s.name === 'export') {
        issues.push({
          path,
          message: `${s.name} blocks belong in a module (a declare block or an imported file), not in the main file: move it there or remove it`,
        });
      }
      if (count === 2) issues.push({ path, message: `the '${head(s)}' block is written twice: keep one` });
      if (config.args) {
        if (s.label !== undefined) issues.push({ path, message: `the '${s.name}' block takes no label: write ${s.name} { ... }` });
        checkBody(s.body, ALLOY_SCHEMAS[config.args], path, issues);
      }
      continue;
    }
    if (!component && !isCustom(s.name)) {
      issues.push({ path, message: `Alloy ${ALLOY_REFERENCE_VERSION} has no component '${s.name}'${didYouMean(s.name, known) ?? ''}` });
      continue;
    }
    if (s.label === undefined) {
      issues.push({ path, message: `a component needs a label: write ${s.name} "name" { ... }` });
      continue;
    }
    if (count === 2) issues.push({ path, message: `two components are named '${path}': give one of them another label` });
    if (component?.stability === 'community' && !options.communityComponents) {
      issues.push({ path, message: `${s.name} is a community component: run Alloy with --feature.community-components.enabled (communityComponents: true)` });
    } else if (component && component.stability !== 'community' && STABILITY_ORDER.indexOf(component.stability) < STABILITY_ORDER.indexOf(level)) {
      issues.push({
        path,
        message: `${s.name} is ${component.stability}, below Alloy's stability level ${level}: run Alloy with --stability.level=${component.stability} (stabilityLevel: '${component.stability}')`,
      });
    }
    // Components without an `args` schema get the name check only (see the comment at the top).
    if (component?.args && count === 1) checkBody(s.body, ALLOY_SCHEMAS[component.args], path, issues);
  }

  checkReferences(statements, blocks, declared, issues);
  return issues;
}

function asIdentifier(label: string): string {
  const s = label.replace(/[^\p{L}\p{Nd}_]/gu, '_');
  return /^\p{Nd}/u.test(s) ? `_${s}` : s || '_';
}

function checkBody(body: readonly AlloyStatement[], schema: AlloySchema, path: string, issues: Issue[]): void {
  const counts = new Map<string, number>();
  const names = Object.keys(schema);
  // A misspelt required name is said once, as the misspelling (with its did-you-mean), not also as missing.
  const suggested = new Set<string>();
  for (const s of body) {
    const entry = Object.prototype.hasOwnProperty.call(schema, s.name) ? schema[s.name] : undefined;
    const here = within(path, s.kind === 'block' ? head(s) : s.name);
    const n = (counts.get(s.name) ?? 0) + 1;
    counts.set(s.name, n);
    if (!entry) {
      const valid = s.kind === 'attribute' ? isAlloyIdentifier(s.name) : isAlloyBlockName(s.name);
      const what = s.kind === 'attribute' ? 'attribute' : 'block';
      const near = closest(s.name, names);
      if (near !== undefined) suggested.add(near);
      const hint = didYouMean(s.name, names) ?? (names.length ? `; it takes ${names.map((x) => `'${x}'`).join(', ')}` : '; it takes nothing');
      issues.push({
        path: here,
        message: valid ? `unknown ${what} '${s.name}' in ${path}${hint}` : `'${s.name}' is not an ${what} name (${IDENTIFIER_RULE})${hint}`,
      });
      continue;
    }
    if (s.kind === 'attribute') {
      if (isBlockSchema(entry)) {
        issues.push({ path: here, message: `'${s.name}' is a block, not an attribute: write ${s.name} { ... }` });
      } else if (n === 2) {
        issues.push({ path: here, message: `the attribute '${s.name}' is set twice: keep one` });
      } else if (n === 1) {
        checkValue(s.value, entry.attr, here, issues, entry.regex);
      }
      continue;
    }
    if (!isBlockSchema(entry)) {
      issues.push({ path: here, message: `'${s.name}' is an attribute, not a block: write ${s.name} = value` });
      continue;
    }
    if (s.label !== undefined) issues.push({ path: here, message: `the '${s.name}' block takes no label: write ${s.name} { ... }` });
    if (n === 2 && !entry.repeatable) issues.push({ path: here, message: `the '${s.name}' block may be written once only: merge the two` });
    checkBody(s.body, ALLOY_SCHEMAS[entry.block], here, issues);
  }
  for (const [name, entry] of Object.entries(schema)) {
    if (!entry.required || counts.has(name) || suggested.has(name)) continue;
    issues.push({
      path: within(path, name),
      message: isBlockSchema(entry)
        ? `the block '${name}' is required: add ${name} { ... }`
        : `the attribute '${name}' is required: set ${name} = <${entry.attr}>`,
    });
  }
}

/** The element type of `list(T)` / `map(T)`, or undefined. */
function inner(type: string, of: 'list' | 'map'): string | undefined {
  return type.startsWith(`${of}(`) && type.endsWith(')') ? type.slice(of.length + 1, -1) : undefined;
}

/** Whether Alloy turns this string into a number (syntax/internal/value/value.go convertValue, string -> number). */
function isNumericString(s: string): boolean {
  if (/^-?\d+$/.test(s)) return true;
  return /[.eE]/.test(s) && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s);
}

const describe = (v: AlloyValue): string => {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (AlloyRef.isRef(v)) return `the reference ${v.toString()}`;
  if (AlloyCall.isCall(v)) return `a call of ${v.fn}`;
  if (typeof v === 'object') return 'an object';
  return `the ${typeof v} ${typeof v === 'string' ? quoteAlloy(v) : String(v)}`;
};

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  bool: 'true or false',
  duration: 'a duration string such as "30s" or "1h30m"',
  secret: 'a string',
  object: 'an object { key = value }',
};

function expected(type: string): string {
  if (EXPECTED[type]) return EXPECTED[type];
  if (inner(type, 'list') !== undefined) return `a list of ${inner(type, 'list')}`;
  if (inner(type, 'map') !== undefined) return `an object of ${inner(type, 'map')}`;
  const capsule = /^capsule\((.+)\)$/.exec(type)?.[1];
  return capsule ? `a reference to a component's export of type ${capsule}` : type;
}

/**
 * Whether the value fits the type, as Alloy's decoder converts (syntax/internal/value/decode.go): numbers and
 * numeric strings convert into each other, a string into a secret, nothing into a capsule but a reference.
 * References and calls are taken as fitting here (their targets are checked by checkReferences).
 */
function checkValue(v: AlloyValue, type: string, path: string, issues: Issue[], regex?: 'none' | 'full'): void {
  if (type === 'any' || v === null || AlloyRef.isRef(v)) return;
  if (AlloyCall.isCall(v)) {
    // sys.env gives a string (docs/sources/reference/stdlib/sys.md); other calls are not typed here.
    if (v.fn === 'sys.env' && !['string', 'secret', 'duration', 'number'].includes(type))
      issues.push({ path, message: `sys.env gives a string, and this takes ${expected(type)}` });
    return;
  }
  const wrong = () => issues.push({ path, message: `${describe(v)} is not ${expected(type)}: write ${expected(type)}` });
  if (typeof v === 'string') {
    if (type === 'string' || type === 'secret') {
      if (regex) {
        const problem = goRegexProblem(v, regex === 'full' ? GoRegexAnchoring.FULL : GoRegexAnchoring.NONE);
        if (problem) issues.push({ path, message: problem });
      }
    } else if (type === 'duration') {
      const d = parseGoDuration(v);
      if (typeof d === 'string')
        issues.push({
          path,
          message: `${quoteAlloy(v)} is not a Go duration (time.ParseDuration: ${d}): write e.g. "30s", "5m" or "1h30m" (units ns, us, ms, s, m, h; no days)`,
        });
    } else if (type !== 'number' || !isNumericString(v)) wrong();
    return;
  }
  if (typeof v === 'number') {
    // A number converts to a string (value.go convertValue, number -> string), so "10" and 10 both fit a string.
    if (type === 'number' || type === 'string' || type === 'secret') return;
    if (type === 'duration' && typeof parseGoDuration(String(v)) !== 'string') return;
    if (type === 'duration') issues.push({ path, message: `the number ${v} is not a duration: write a string with a unit, e.g. "${v}s"` });
    else wrong();
    return;
  }
  if (typeof v === 'boolean') {
    if (type !== 'bool') wrong();
    return;
  }
  if (Array.isArray(v)) {
    const elem = inner(type, 'list');
    if (elem === undefined) {
      wrong();
      return;
    }
    v.forEach((x, i) => checkValue(x, elem, `${path}[${i}]`, issues, regex));
    return;
  }
  const values = inner(type, 'map');
  if (values !== undefined) {
    for (const [k, x] of Object.entries(v)) checkValue(x, values, `${path}.${k}`, issues, regex);
  } else if (type !== 'object') wrong();
}

/** Every reference names a component (name and label) of the file and, when its exports are known, one of them. */
function checkReferences(statements: readonly AlloyStatement[], blocks: readonly AlloyBlock[], declared: ReadonlySet<string>, issues: Issue[]): void {
  const labelled = new Map<string, AlloyBlock>();
  const misnamed = new Set<string>();
  for (const b of blocks) {
    if (b.label === undefined) continue;
    labelled.set(`${b.name}.${b.label}`, b);
    if (!ALLOY_COMPONENTS[b.name] && !ALLOY_CONFIG_BLOCKS[b.name] && !declared.has(b.name.split('.')[0])) misnamed.add(b.label);
  }
  const edges = new Map<string, Set<string>>();
  let from = '';
  const visit = (v: AlloyValue, path: string, expectedType?: string): void => {
    if (AlloyRef.isRef(v)) {
      const target = labelled.get(`${v.component}.${v.label}`);
      if (target && from) edges.get(from)!.add(`${v.component}.${v.label}`);
      // A component whose name is unknown is reported as such; references to its label follow that report.
      if (!target && misnamed.has(v.label)) return;
      if (!target) {
        const sameName = blocks.filter((b) => b.name === v.component && b.label !== undefined).map((b) => b.label!);
        const hint =
          didYouMean(v.label, sameName) ??
          (sameName.length
            ? `; its ${v.component} components are ${sameName.map((l) => quoteAlloy(l)).join(', ')}`
            : `; add a ${v.component} "${v.label}" { ... } block`);
        issues.push({ path, message: `${v.toString()} refers to ${v.component} ${quoteAlloy(v.label)}, which this file does not have${hint}` });
        return;
      }
      const exports = ALLOY_COMPONENTS[v.component]?.exports;
      if (!exports) return;
      const type = exports[v.exportName];
      if (type === undefined) {
        const names = Object.keys(exports);
        const hint = didYouMean(v.exportName, names) ?? (names.length ? `; it exports ${names.join(', ')}` : '; it exports nothing');
        issues.push({ path, message: `${v.component} has no export '${v.exportName}'${hint}` });
      } else if (expectedType && !fits(type, expectedType)) {
        issues.push({
          path,
          message: `${v.toString()} is ${expected(type).replace(/^a reference to a component's export of type /, '')}, and this takes ${expected(expectedType)}`,
        });
      }
      return;
    }
    if (AlloyCall.isCall(v)) return v.args.forEach((a, i) => visit(a, `${path} > ${v.fn}(#${i + 1})`));
    if (Array.isArray(v)) return v.forEach((x, i) => visit(x, `${path}[${i}]`, expectedType && inner(expectedType, 'list')));
    if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) visit(x, `${path}.${k}`, expectedType && inner(expectedType, 'map'));
    }
  };
  const walk = (body: readonly AlloyStatement[], schema: AlloySchema | undefined, path: string): void => {
    for (const s of body) {
      const entry = schema && Object.prototype.hasOwnProperty.call(schema, s.name) ? schema[s.name] : undefined;
      if (s.kind === 'attribute') visit(s.value, within(path, s.name), entry && !isBlockSchema(entry) ? entry.attr : undefined);
      else walk(s.body, entry && isBlockSchema(entry) ? ALLOY_SCHEMAS[entry.block] : undefined, within(path, head(s)));
    }
  };
  for (const s of statements) {
    if (s.kind !== 'block') continue;
    const args = ALLOY_COMPONENTS[s.name]?.args ?? ALLOY_CONFIG_BLOCKS[s.name]?.args;
    from = s.label !== undefined ? `${s.name}.${s.label}` : '';
    if (from && !edges.has(from)) edges.set(from, new Set());
    walk(s.body, args ? ALLOY_SCHEMAS[args] : undefined, head(s));
  }
  for (const cycle of cycles(edges)) {
    const shown = [...cycle, cycle[0]].join(' -> ');
    issues.push({
      path: cycle[0],
      message: `components refer to each other in a cycle (${shown}), which Alloy refuses: break it by removing one of the references`,
    });
  }
}

/**
 * The reference cycles among components, each once, starting at its first component in file order
 * (internal/validator/graph.go: "cycle detected"; a component referring to itself is one too).
 */
function cycles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const order = [...edges.keys()];
  const found: string[][] = [];
  const inCycle = new Set<string>();
  for (const start of order) {
    if (inCycle.has(start)) continue;
    // Depth-first search for a path back to `start` through components not already in a reported cycle.
    const stack: Array<{ node: string; next: string[] }> = [{ node: start, next: [...(edges.get(start) ?? [])] }];
    const onPath = new Set([start]);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const n = top.next.shift();
      if (n === undefined) {
        onPath.delete(top.node);
        stack.pop();
        continue;
      }
      if (n === start) {
        const cycle = stack.map((f) => f.node);
        cycle.forEach((c) => inCycle.add(c));
        found.push(cycle);
        break;
      }
      if (onPath.has(n) || inCycle.has(n) || !edges.has(n)) continue;
      onPath.add(n);
      stack.push({ node: n, next: [...(edges.get(n) ?? [])] });
    }
  }
  return found;
}

/** Whether an export of `type` can be given where `want` is taken: capsules must be the same Go type. */
function fits(type: string, want: string): boolean {
  if (want === 'any' || type === want) return true;
  const capsule = (t: string) => /^capsule\(/.test(t);
  if (capsule(type) || capsule(want)) return false;
  const [tl, wl] = [inner(type, 'list'), inner(want, 'list')];
  if (tl !== undefined || wl !== undefined) return tl !== undefined && wl !== undefined && fits(tl, wl);
  return true;
}
