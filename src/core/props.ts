import type { IConstruct } from 'constructs';
import { z } from 'zod';
import { closest } from './did-you-mean.js';

/*
 * Props are checked at run time, not only by the type checker: stack files run through tsx (which
 * strips types without checking them) and JavaScript users have no type checker at all. AWS CDK checks
 * props at run time for the same reason. Each props interface has a zod schema beside it, tied to the
 * interface by {@link propsSchema} so that the two cannot drift apart (tsc fails when a prop is added
 * to one side only, or typed differently).
 *
 * A problem found while constructing does not stop the construction: it is recorded on the construct
 * ({@link recordProblem}), the prop falls back to its default, and synthesis reports every recorded
 * problem with the validation problems, each once, as `[construct/path] what is wrong: the fix`.
 */

// ---------------------------------------------------------------------------------------------------
// The compile-time tie between a schema and its props interface.

type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Resolves to `unknown` when the schema's input type and the props interface agree, else to a type naming the difference. */
export type SchemaMatches<I, P> =
  Mutual<keyof I, keyof P> extends true
    ? Mutual<I, P> extends true
      ? unknown
      : { 'the schema and the props interface type a prop differently': { schema: I; props: P } }
    : {
        'the schema and the props interface have different props': {
          onlyInSchema: Exclude<keyof I, keyof P>;
          onlyInInterface: Exclude<keyof P, keyof I>;
        };
      };

/**
 * Ties a zod schema to the props interface `P`: `propsSchema<ServiceProps>()(z.strictObject({...}))`
 * does not compile unless `z.input` of the schema and `P` have the same keys and are mutually
 * assignable. At run time it returns the schema unchanged.
 */
export function propsSchema<P>() {
  return <S extends z.ZodType>(schema: S & SchemaMatches<z.input<S>, P>): S => schema;
}

// ---------------------------------------------------------------------------------------------------
// Problems recorded on constructs.

const PROBLEMS = Symbol.for('aixcl-cdk.recordedProblems');
const ON_FALLBACKS = Symbol.for('aixcl-cdk.onFallbacks');

type Recorded = { [PROBLEMS]?: string[]; [ON_FALLBACKS]?: Set<string> };

/**
 * Records a problem found while constructing `c`, reported by synthesis at its path (or at the path
 * the message starts with, `[other/path] ...`). Recorded on the object itself (a symbol shared
 * across copies of this library), so a stack file that loads another copy is reported too.
 */
export function recordProblem(c: IConstruct, message: string): void {
  const r = c as unknown as Recorded;
  (r[PROBLEMS] ??= []).push(message);
}

/** Records that `c` goes on with the default of `prop` in place of what the user gave. */
export function recordFallback(c: IConstruct, prop: string): void {
  ((c as unknown as Recorded)[ON_FALLBACKS] ??= new Set()).add(prop);
}

/** The problems recorded on `c` (in the order found). */
export function recordedProblems(c: IConstruct): readonly string[] {
  return (c as unknown as Recorded)[PROBLEMS] ?? [];
}

/**
 * True when `c` was built with the default of `prop` (any prop, without `prop`) in place of what
 * the user gave: a validation that would judge the default skips it, so as not to blame the user for it.
 */
export function isOnFallbacks(c: IConstruct, ...props: string[]): boolean {
  const set = (c as unknown as Recorded)[ON_FALLBACKS];
  return !!set && (props.length === 0 ? set.size > 0 : props.some((p) => set.has(p)));
}

// ---------------------------------------------------------------------------------------------------
// Checking props.

/** What {@link parseProps} found. */
export interface CheckedProps<T> {
  /** The props to build with: what the user gave, with each prop that has a problem removed (so its default applies). */
  readonly props: T;
  /** One message per problem, `prop: what is wrong: the fix`. */
  readonly problems: readonly string[];
  /** Records the problems on `c` (for constructors that must call `super` first). */
  report(c: IConstruct): void;
}

/** Context for the messages of one props check. */
export interface PropsContext {
  /** The construct (or method) the props are for, e.g. `Service` or `addDependency options`. */
  readonly owner: string;
  /**
   * Props that belong to another construct, with where they go, for a key given in the wrong place
   * (e.g. a Service prop given to a construct that makes its Service itself).
   */
  readonly elsewhere?: Readonly<Record<string, string>>;
  /** The props of the wrapping construct, for a nested object (e.g. Logging's props, for its `loki` object). */
  readonly outer?: { readonly owner: string; readonly keys: readonly string[] };
}

/**
 * Checks props against a schema without a construct at hand (e.g. before `super()`).
 * @param fallback values for required props that have a problem (optional props fall back to their default)
 */
export function parseProps<T>(schema: z.ZodType<unknown, T>, raw: unknown, context: PropsContext, fallback: Partial<T> = {}): CheckedProps<T> {
  if (raw === undefined) raw = {};
  const problems: string[] = [];
  const dropped: string[] = [];
  let props: T;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`the props of ${context.owner} must be an object ({ ... }), got ${describeValue(raw)}`);
    props = { ...fallback } as T;
  } else {
    const result = schema.safeParse(raw, { error: defaultMessage });
    if (result.success) props = raw as T;
    else {
      const drop = new Set<string>();
      for (const issue of result.error.issues) {
        problems.push(...issueMessages(issue, schema, context));
        if (issue.path.length) drop.add(String(issue.path[0]));
      }
      dropped.push(...drop);
      const kept = Object.fromEntries(Object.entries(raw).filter(([k]) => !drop.has(k) && k in shapeOf(schema)));
      props = { ...kept, ...Object.fromEntries(Object.entries(fallback).filter(([k]) => drop.has(k) || !(k in kept))) } as T;
    }
  }
  const unique = [...new Set(problems)];
  return {
    props,
    problems: unique,
    report: (c) => {
      unique.forEach((m) => recordProblem(c, m));
      dropped.forEach((p) => recordFallback(c, p));
    },
  };
}

/**
 * A copy of the plain data in props (objects, lists), so that a change to the caller's object after a
 * construct was made (`props.command.push(...)`, `props.memoryLimit = '1g'`) changes nothing that was
 * checked. Constructs and value objects (Size, Duration, Secret...) are kept as they are: immutable,
 * or meant to be shared.
 */
export function copyPlain<T>(v: T, seen = new Map<object, unknown>()): T {
  if (typeof v !== 'object' || v === null) return v;
  const known = seen.get(v);
  if (known !== undefined) return known as T;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    seen.set(v, out);
    for (const x of v) out.push(copyPlain(x, seen));
    return out as T;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return v;
  const out: Record<string, unknown> = Object.create(proto);
  seen.set(v, out);
  for (const [k, x] of Object.entries(v)) out[k] = copyPlain(x, seen);
  return out as T;
}

/** Checks the props of construct `c` and records each problem on it; returns the props to build with. */
export function checkProps<T>(c: IConstruct, schema: z.ZodType<unknown, T>, raw: unknown, context: PropsContext, fallback: Partial<T> = {}): T {
  const checked = parseProps(schema, raw, context, fallback);
  checked.report(c);
  return checked.props;
}

/**
 * Checks the arguments of a method call; records a problem on `c` and returns false when they are
 * wrong (the caller then ignores the call, which has no other effect).
 * @param args name -> [schema, value], in the order of the parameters
 */
export function checkArgs(c: IConstruct, method: string, args: Record<string, readonly [z.ZodType, unknown]>): boolean {
  const schema = z.object(Object.fromEntries(Object.entries(args).map(([name, [s]]) => [name, s])));
  const values = Object.fromEntries(Object.entries(args).map(([name, [, v]]) => [name, v]));
  const result = schema.safeParse(values, { error: defaultMessage });
  if (result.success) return true;
  for (const issue of result.error.issues) {
    for (const m of issueMessages(issue, schema, { owner: `${method}()` })) recordProblem(c, `${method}(): ${m}`);
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------
// Messages.

/** A value as a person reads it in a message: `the string '512m'`, `a list`, `the construct shop/db`. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'string') return `the string ${quote(v)}`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return `the ${typeof v} ${String(v)}`;
  if (typeof v === 'function') return `a function${v.name ? ` (${v.name})` : ''}`;
  if (Array.isArray(v)) return v.length ? `a list (${quoteShort(v)})` : 'an empty list';
  if (typeof v === 'object') {
    const node = (v as { node?: { path?: unknown } }).node;
    if (node && typeof node.path === 'string') return `the construct ${node.path || '<root>'}`;
    const ctor = Object.getPrototypeOf(v)?.constructor;
    if (ctor && ctor !== Object && typeof ctor.name === 'string' && ctor.name) return `a ${ctor.name} object`;
    return `an object (${quoteShort(v)})`;
  }
  return String(v);
}

/** A string in single quotes, shortened. */
export function quote(s: string): string {
  const short = s.length > 60 ? `${s.slice(0, 57)}...` : s;
  return `'${short.replace(/'/g, "\\'")}'`;
}

function quoteShort(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** `ports[0].hostIp` from a zod path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (typeof p === 'string' && /^[A-Za-z_$][\w$]*$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${quote(String(p))}]`;
  }
  return out;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list ([...])',
  object: 'an object ({ ... })',
  record: 'an object ({ ... })',
};

/** Messages for zod's own checks (types, ranges), in the words of this tool. */
function defaultMessage(iss: z.core.$ZodRawIssue): string | undefined {
  const input = iss.input;
  switch (iss.code) {
    case 'invalid_type': {
      const expected = String(iss.expected);
      let hint = '';
      if ((expected === 'number' || expected === 'int') && typeof input === 'string' && input.trim() !== '' && Number.isFinite(Number(input))) {
        hint = `: write ${Number(input)}, without quotes`;
      } else if (expected === 'boolean' && (input === 'true' || input === 'false')) hint = `: write ${input}, without quotes`;
      else if (expected === 'array' && typeof input === 'string') hint = `: write [${quote(input)}]`;
      else if (expected === 'string' && typeof input === 'number') hint = `: write '${input}'`;
      else if (input === undefined) hint = ' (it is required)';
      return `must be ${EXPECTED[expected] ?? expected}, got ${describeValue(input)}${hint}`;
    }
    case 'too_small':
    case 'too_big': {
      if (iss.origin === 'number' || iss.origin === 'int') {
        const bound = iss.code === 'too_small' ? `at least ${String(iss.minimum)}` : `at most ${String(iss.maximum)}`;
        return `must be ${bound}, got ${describeValue(input)}`;
      }
      if (iss.origin === 'string' && iss.code === 'too_small') return `must not be empty`;
      if (iss.origin === 'array' && iss.code === 'too_small') return `must not be an empty list`;
      return undefined;
    }
    case 'invalid_value':
      return `must be one of ${iss.values.map((v) => (typeof v === 'string' ? quote(v) : String(v))).join(', ')}, got ${describeValue(input)}`;
    default:
      return undefined;
  }
}

/** The message(s) of one zod issue, each `path: what is wrong: the fix`. */
function issueMessages(issue: z.core.$ZodIssue, schema: z.ZodType, context: PropsContext): string[] {
  const path = formatPath(issue.path);
  // `memoryLimit must be a Size`, `environment.X is undefined`; a message that names the value itself follows a colon.
  const at = (m: string) => (path ? (/^(is|must|has|holds|starts) /.test(m) ? `${path} ${m}` : `${path}: ${m}`) : m);
  if (issue.code === 'unrecognized_keys') {
    const known = Object.keys(shapeOf(schemaAt(schema, issue.path)));
    const owner = issue.path.length ? `${context.owner} ${path}` : context.owner;
    return issue.keys.map((key) => {
      const where = issue.path.length ? `${path}.${key}` : key;
      const elsewhere = issue.path.length === 0 ? context.elsewhere?.[key] : undefined;
      if (elsewhere) return `${where} is not a prop of ${owner}: ${elsewhere}`;
      const outer = issue.path.length === 1 ? (context.outer ?? { owner: context.owner, keys: Object.keys(shapeOf(schema)) }) : undefined;
      if (outer && outer.keys.includes(key) && !known.includes(key)) {
        return `${where} is not a prop of ${owner}: ${key} is a prop of ${outer.owner} itself: move it up one level, out of ${path}`;
      }
      const guess = closest(key, known);
      if (guess) return `${where} is not a prop of ${owner}: did you mean ${guess}?`;
      return `${where} is not a prop of ${owner}: remove it (${known.length ? `the props are ${known.join(', ')}` : 'it takes none'})`;
    });
  }
  if (issue.code === 'invalid_union') {
    // Report the branch that went furthest (the one whose issues have the longest paths).
    const branches = issue.errors.filter((e) => e.length);
    if (branches.length) {
      const best = branches.reduce((a, b) => (Math.max(...b.map((i) => i.path.length)) > Math.max(...a.map((i) => i.path.length)) ? b : a));
      return best.flatMap((i) => issueMessages({ ...i, path: [...issue.path, ...i.path] } as z.core.$ZodIssue, schema, context));
    }
  }
  return [at(issue.message)];
}

/** The object shape of a schema (through optional, readonly, ...), or {}. */
function shapeOf(schema: z.ZodType | undefined): Record<string, z.ZodType> {
  const s = unwrap(schema);
  if (s && 'shape' in s && typeof s.shape === 'object' && s.shape) return s.shape as Record<string, z.ZodType>;
  // The typed form of an {@link objectOr}.
  const object = (s as unknown as { [OBJECT_FORM]?: z.ZodType } | undefined)?.[OBJECT_FORM];
  return object ? shapeOf(object) : {};
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let s = schema;
  for (let i = 0; s && i < 10; i++) {
    const def = (s as unknown as { def: { type: string; innerType?: z.ZodType; in?: z.ZodType } }).def;
    if (def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else break;
  }
  return s;
}

/** The schema at a path inside `schema` (objects and arrays), or undefined. */
function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let s: z.ZodType | undefined = schema;
  for (const key of path) {
    s = unwrap(s);
    if (!s) return undefined;
    const def = (s as unknown as { def: { type: string; element?: z.ZodType; valueType?: z.ZodType } }).def;
    if (def.type === 'array') s = def.element;
    else if (def.type === 'record') s = def.valueType;
    else s = shapeOf(s)[String(key)];
  }
  return s;
}

// ---------------------------------------------------------------------------------------------------
// Building blocks for the schemas.

/** Reports problems of a value through `report(message, path?)`. */
export type ValueCheck = (value: unknown, report: (message: string, path?: PropertyKey[]) => void) => void;

/** A schema typed as `T` whose run-time check (and messages) is `check`. */
export function valueOf<T>(check: ValueCheck): z.ZodType<T, T> {
  return z
    .custom<T>()
    .superRefine((value, ctx) => check(value, (message, path = []) => ctx.addIssue({ code: 'custom', message, path, input: value }))) as unknown as z.ZodType<
    T,
    T
  >;
}

/**
 * An object of one of this library's classes, recognized by `is` (which works across copies of the
 * library). `hint` says how to make one, for a message when something else was given.
 */
export function instanceOf<T>(what: string, is: (v: unknown) => v is T, hint: (v: unknown) => string): z.ZodType<T, T> {
  return valueOf<T>((v, report) => {
    if (!is(v)) {
      const h = hint(v);
      report(`must be ${what}, got ${describeValue(v)}${h.startsWith('(') ? ' ' : ': '}${h}`);
    }
  });
}

/**
 * A value of a string enum. At run time `RestartPolicy.ALWAYS` and `'always'` are the same string, so
 * the value is accepted either way (the type checker, where there is one, asks for the member); any
 * other string is an error naming the member to use.
 */
export function enumOf<E extends string>(name: string, values: () => Record<string, E>): z.ZodType<E, E> {
  return valueOf<E>((v, report) => {
    const members = Object.entries(values());
    if (members.some(([, value]) => value === v)) return;
    const list = members.map(([k, value]) => `${name}.${k} ('${value}')`).join(', ');
    const byName =
      typeof v === 'string'
        ? members.find(
            ([k, value]) => [k.toLowerCase(), value.toLowerCase()].includes(v.toLowerCase().replace(/[-_ ]/g, '_')) || value.toLowerCase() === v.toLowerCase(),
          )
        : undefined;
    const near =
      typeof v === 'string' && !byName
        ? closest(
            v.replace(/[-_ ]/g, ''),
            members.flatMap(([k, value]) => [k.replace(/_/g, ''), value.replace(/[-_]/g, '')]),
          )
        : undefined;
    const guess = byName ?? (near ? members.find(([k, value]) => k.replace(/_/g, '') === near || value.replace(/[-_]/g, '') === near) : undefined);
    report(
      guess
        ? `${describeValue(v)} is not a ${name}: did you mean ${name}.${guess[0]} ('${guess[1]}')?`
        : `${describeValue(v)} is not a ${name}: use one of ${list}`,
    );
  });
}

const OBJECT_FORM = Symbol('objectForm');

/**
 * The typed object form `object`, or (for anything that is not an object) the messages of
 * `otherwise`, which says how to write the typed form (e.g. for Compose's short syntax). Not a zod
 * union: a union would report the other branch's message for an object with one wrong field.
 */
export function objectOr<T>(object: z.ZodType<T, T>, otherwise: ValueCheck): z.ZodType<T, T> {
  const schema = z.custom<T>().superRefine((v, ctx) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const r = object.safeParse(v, { error: defaultMessage });
      if (!r.success) for (const issue of r.error.issues) ctx.addIssue({ ...issue, input: (issue as { input?: unknown }).input } as never);
    } else otherwise(v, (message, path = []) => ctx.addIssue({ code: 'custom', message, path, input: v }));
  });
  Object.defineProperty(schema, OBJECT_FORM, { value: object });
  return schema as unknown as z.ZodType<T, T>;
}
