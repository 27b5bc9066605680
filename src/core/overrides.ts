import { UserError } from './errors.js';
import { describeValue } from './props.js';

/**
 * The escape hatch: raw changes applied to a rendered document after the typed
 * API has built it, for keys the typed API does not cover. Paths are dotted
 * (`deploy.resources.limits.cpus`); write `\.` for a dot inside a key; a
 * number indexes an array (`scrape_configs.0.scrape_interval`).
 * `undefined` deletes the key.
 */
export class Overrides {
  private readonly entries: Array<{ path: string[]; value: unknown }> = [];

  public add(path: string, value: unknown): void {
    const problem = Overrides.problem(path, value);
    if (problem) throw new UserError(problem);
    this.entries.push({ path: splitPath(path), value });
  }

  /**
   * Why an override cannot be applied, or undefined. The value must be plain data (what YAML and
   * JSON hold): an object of a class (an SDK builder, a Duration) would be cloned into something
   * else, or not at all.
   */
  public static problem(path: unknown, value: unknown): string | undefined {
    if (typeof path !== 'string') return `addOverride(): the path must be a dotted string such as 'deploy.resources', got ${describeValue(path)}`;
    const parts = splitPath(path);
    if (parts.length === 0 || parts.some((p) => p.length === 0)) return `addOverride(): override path '${path}' is empty or has an empty key`;
    const bad = notPlainData(value, []);
    if (bad) {
      const where = bad.path.length ? ` at ${path}.${bad.path.join('.')}` : '';
      return `addOverride('${path}'): the value${where} is ${bad.what}, not plain data (strings, numbers, booleans, null, lists and plain objects): ${bad.fix}`;
    }
    return undefined;
  }

  public get isEmpty(): boolean {
    return this.entries.length === 0;
  }

  /** True when an override sets or deletes `key` or something inside it (`environment`, `environment.TZ`). */
  public touches(key: string): boolean {
    const want = splitPath(key);
    return this.entries.some(({ path }) => want.every((k, i) => i >= path.length || path[i] === k));
  }

  /**
   * The path (as given) of the last override that sets or deletes `key`, something inside it, or
   * something around it: the override that made the value at `key`, or undefined when none did.
   */
  public touching(key: readonly string[]): string | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const { path } = this.entries[i];
      if (key.every((k, j) => j >= path.length || path[j] === k)) return path.map((p) => p.replace(/\./g, '\\.')).join('.');
    }
    return undefined;
  }

  /**
   * Applies the overrides, in the order they were added, to a deep copy of `doc`.
   * @param owner the construct whose overrides they are, when the error is reported elsewhere (a service's, by its compose file)
   */
  public applyTo<T>(doc: T, owner?: string): T {
    if (this.entries.length === 0) return doc;
    const out = structuredClone(doc) as Record<string, unknown>;
    for (const { path, value } of this.entries) {
      let cur: Record<string, unknown> | unknown[] = out;
      path.forEach((key, i) => {
        // An index past the end would leave holes (null items) that the file's reader refuses, one message per hole.
        if (Array.isArray(cur) && /^\d+$/.test(key) && Number(key) > cur.length) {
          const change = cur.length === 0 ? '' : cur.length === 1 ? '0 to change it, or ' : `0 to ${cur.length - 1} to change one, or `;
          throw new UserError(
            `addOverride('${path.join('.')}')${owner ? ` of ${owner}` : ''}: ${path.slice(0, i).join('.') || 'the list'} has ${cur.length} item${cur.length === 1 ? '' : 's'}, so index ${key} is past its end: use ${change}${cur.length} to add one`,
          );
        }
        if (i === path.length - 1) return;
        const next = (cur as Record<string, unknown>)[key];
        // Inside an array a numeric key is an index (`scrape_configs.0.scrape_interval`).
        if (typeof next !== 'object' || next === null) (cur as Record<string, unknown>)[key] = {};
        cur = (cur as Record<string, unknown>)[key] as Record<string, unknown> | unknown[];
      });
      const last = path[path.length - 1];
      if (Array.isArray(cur) && /^\d+$/.test(last)) {
        if (value === undefined) cur.splice(Number(last), 1);
        else cur[Number(last)] = structuredClone(value);
      } else if (value === undefined) delete (cur as Record<string, unknown>)[last];
      else (cur as Record<string, unknown>)[last] = structuredClone(value);
    }
    return out as T;
  }
}

function splitPath(path: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    if (path[i] === '\\' && path[i + 1] === '.') {
      cur += '.';
      i++;
    } else if (path[i] === '.') {
      parts.push(cur);
      cur = '';
    } else cur += path[i];
  }
  parts.push(cur);
  return parts;
}

function notPlainData(v: unknown, path: string[], seen = new Set<unknown>()): { path: string[]; what: string; fix: string } | undefined {
  if (v === undefined || v === null || typeof v === 'string' || typeof v === 'boolean') return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : { path, what: String(v), fix: 'give a finite number' };
  if (typeof v !== 'object') return { path, what: describeValue(v), fix: 'give the value as YAML/JSON would hold it' };
  if (seen.has(v)) return { path, what: 'an object that contains itself', fix: 'give a tree of plain values' };
  const proto = Object.getPrototypeOf(v);
  if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) {
    const builder = typeof (v as { build?: unknown }).build === 'function';
    return {
      path,
      what: describeValue(v),
      fix: builder ? 'call its .build() and pass the result' : 'convert it to a plain value first (e.g. Duration.toGoString(), Size.toComposeString())',
    };
  }
  seen.add(v);
  for (const [k, x] of Object.entries(v)) {
    const bad = notPlainData(x, [...path, k], seen);
    if (bad) return bad;
  }
  seen.delete(v);
  return undefined;
}
