import { DeployError } from './errors.js';
import { missingVariablesError, type MissingVariable } from './missing-variables.js';

/** Variables available to interpolation (undefined = unset). */
export type Variables = Readonly<Record<string, string | undefined>>;

/** What {@link interpolateDocument} found besides the result. */
export interface InterpolationReport {
  /** Required variables that are unset or empty. */
  readonly missing: MissingVariable[];
  /** Plain `${VAR}` references to unset variables (replaced by ''), as Compose warns about them. */
  readonly unset: string[];
  /**
   * Where a value came from a variable reference (document paths such as
   * `services.grafana.environment.GF_SECURITY_ADMIN_PASSWORD`), sorted:
   * such values may be secrets, so they are never fingerprinted one by one.
   */
  readonly interpolated: string[];
}

/**
 * Replaces `${VAR}` references in every string value of a compose document
 * (keys are left alone), with Compose's rules: `$$` is a literal `$`,
 * `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`,
 * `${VAR:+alt}`, `${VAR+alt}`, `$VAR`; defaults may nest.
 * @throws DeployError naming every required variable that is missing, and on malformed references
 */
export function interpolateDocument<T>(doc: T, vars: Variables, opts: { allowMissing?: boolean } = {}): { value: T; report: InterpolationReport } {
  const missing: MissingVariable[] = [];
  const unset = new Set<string>();
  const interpolated: string[] = [];
  const walk = (v: unknown, path: string): unknown => {
    if (typeof v === 'string') {
      // A reference is a `$` that is not part of a `$$` (a malformed one throws below).
      if (v.replace(/\$\$/g, '').includes('$')) interpolated.push(path);
      return interpolateString(v, vars, { path, missing, unset });
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${path}[${i}]`));
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, path ? `${path}.${k}` : k)]));
    }
    return v;
  };
  const value = walk(doc, '') as T;
  // A preview (diff) may go on without them: their values are left out of the comparison.
  if (missing.length && !opts.allowMissing) throw missingVariablesError(missing);
  return { value, report: { missing, unset: [...unset].sort(), interpolated: interpolated.sort() } };
}

interface Context {
  readonly path: string;
  readonly missing: MissingVariable[];
  readonly unset: Set<string>;
}

/** Interpolates one string (see {@link interpolateDocument}). */
export function interpolateString(s: string, vars: Variables, ctx: Context = { path: '', missing: [], unset: new Set() }): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const n = s[i + 1];
    if (n === '$') {
      out += '$';
      i += 2;
    } else if (n === '{') {
      const end = closingBrace(s, i + 2);
      if (end < 0) throw invalid(s, ctx);
      out += expandBraced(s.slice(i + 2, end), vars, ctx, s);
      i = end + 1;
    } else if (n !== undefined && /[A-Za-z_]/.test(n)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i + 1))!;
      const v = vars[m[0]];
      if (v === undefined) ctx.unset.add(m[0]);
      out += v ?? '';
      i += 1 + m[0].length;
    } else {
      throw invalid(s, ctx);
    }
  }
  return out;
}

function closingBrace(s: string, from: number): number {
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    if (s[i] === '$' && s[i + 1] === '$') i++;
    else if (s[i] === '$' && s[i + 1] === '{') {
      depth++;
      i++;
    } else if (s[i] === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

function expandBraced(inner: string, vars: Variables, ctx: Context, whole: string): string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(inner);
  if (!m) throw invalid(whole, ctx);
  const [, name, op, arg = ''] = m;
  const value = vars[name];
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  const sub = () => interpolateString(arg, vars, ctx);
  switch (op) {
    case undefined:
      if (!set) ctx.unset.add(name);
      return value ?? '';
    case ':-':
      return nonEmpty ? value! : sub();
    case '-':
      return set ? value! : sub();
    case ':?':
    case '?':
      if (op === ':?' ? nonEmpty : set) return value!;
      {
        // `services.<name>.…`: the service that uses it; elsewhere (a top-level secret) the path says where.
        const service = /^services\.([^.[]+)/.exec(ctx.path)?.[1];
        ctx.missing.push({ variable: name, message: sub(), services: service ? [service] : [], path: ctx.path });
      }
      return '';
    case ':+':
      return nonEmpty ? sub() : '';
    case '+':
      return set ? sub() : '';
    default:
      throw invalid(whole, ctx);
  }
}

function invalid(s: string, ctx: Context): DeployError {
  return new DeployError(`invalid interpolation in ${ctx.path || 'the compose file'}: '${s}' (write a literal $ as $$, a variable as \${NAME})`);
}
