import { UserError } from './errors.js';

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
    const parts = splitPath(path);
    if (parts.length === 0 || parts.some((p) => p.length === 0)) {
      throw new UserError(`override path '${path}' is empty or has an empty key`);
    }
    this.entries.push({ path: parts, value });
  }

  public get isEmpty(): boolean {
    return this.entries.length === 0;
  }

  /** Applies the overrides, in the order they were added, to a deep copy of `doc`. */
  public applyTo<T>(doc: T): T {
    if (this.entries.length === 0) return doc;
    const out = structuredClone(doc) as Record<string, unknown>;
    for (const { path, value } of this.entries) {
      let cur: Record<string, unknown> | unknown[] = out;
      for (const key of path.slice(0, -1)) {
        const next = (cur as Record<string, unknown>)[key];
        // Inside an array a numeric key is an index (`scrape_configs.0.scrape_interval`).
        if (typeof next !== 'object' || next === null) (cur as Record<string, unknown>)[key] = {};
        cur = (cur as Record<string, unknown>)[key] as Record<string, unknown> | unknown[];
      }
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
