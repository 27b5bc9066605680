import type { ImageVersion } from '../core/image.js';
import type { LokiKeyTree } from './loki-config-reference.js';
import type { LokiIssue } from './loki-config-issues.js';
import { crossFieldRules } from './loki-config-rules.js';
import { blockRef, fieldsOf, namedBlock, rootTree, type LokiKeyKind } from './loki-config-tree.js';
import { isSettingsMapping, KIND_CHECKS, KIND_MESSAGES, type LokiLeafKind } from './loki-value-kinds.js';

// Checks a Loki document by walking it beside the key tree, finding what the zod
// schema of createLokiConfigSchema finds (same issues, same order) without
// building that schema: building it and parsing with it cost ~50 ms a synthesis.

/** A block's keys in checking order, and the set of them (to tell unknown keys). */
interface Fields {
  readonly entries: readonly (readonly [string, LokiKeyKind])[];
  readonly known: ReadonlySet<string>;
}

const fieldsCache = new WeakMap<LokiKeyTree, Fields>();

function fields(tree: LokiKeyTree): Fields {
  let f = fieldsCache.get(tree);
  if (!f) {
    const all = fieldsOf(tree);
    f = { entries: Object.entries(all), known: new Set(Object.keys(all)) };
    fieldsCache.set(tree, f);
  }
  return f;
}

class Walk {
  public readonly issues: LokiIssue[] = [];
  /** Whether a problem stops the rules across keys (a value of the wrong type, as zod aborts). */
  public aborted = false;
  private readonly path: PropertyKey[] = [];

  /** A strict block: every key checked by its kind, then the unknown keys reported together. */
  public block(tree: LokiKeyTree, value: unknown): void {
    if (tree.$map) return this.leaf('map', value);
    if (!isSettingsMapping(value)) return this.report(KIND_MESSAGES.block, true);
    const { entries, known } = fields(tree);
    for (const [key, kind] of entries) {
      const v = value[key];
      // Every key is optional: an absent key, or one set to undefined, is fine.
      if (v !== undefined) this.at(key, () => this.value(kind, v));
    }
    const unknown: string[] = [];
    // for...in, as zod lists the keys of the input.
    for (const key in value) if (!known.has(key)) unknown.push(key);
    // An unknown key does not stop the rules across keys (zod's unrecognized_keys issue continues).
    if (unknown.length) this.issues.push({ code: 'unrecognized_keys', path: [...this.path], keys: unknown, message: 'has unknown keys' });
  }

  private value(kind: LokiKeyKind, value: unknown): void {
    if (typeof kind === 'object') return this.block(kind, value);
    const ref = blockRef(kind);
    if (!ref) return this.leaf(kind as LokiLeafKind, value);
    const tree = namedBlock(ref.name);
    if (!ref.list) return this.block(tree, value);
    if (!Array.isArray(value)) return this.report(KIND_MESSAGES.list, true);
    for (let i = 0; i < value.length; i++) this.at(i, () => this.block(tree, value[i]));
  }

  private leaf(kind: LokiLeafKind, value: unknown): void {
    const check = KIND_CHECKS[kind];
    if (!check) throw new Error(`unknown Loki value kind '${kind}'`);
    check(value, (message, aborts, at) => {
      if (at === undefined) this.report(message, aborts);
      else this.at(at, () => this.report(message, aborts));
    });
  }

  private at(key: PropertyKey, check: () => void): void {
    this.path.push(key);
    check();
    this.path.pop();
  }

  private report(message: string, aborts: boolean): void {
    this.issues.push({ code: aborts ? 'invalid_type' : 'invalid_value', path: [...this.path], message });
    if (aborts) this.aborted = true;
  }
}

/**
 * @internal The problems of a Loki document for a given Loki version, in the
 * order the zod schema of createLokiConfigSchema reports them: the keys and
 * values first, then (unless a value has the wrong type) the rules across keys.
 */
export function walkLokiConfig(doc: unknown, version?: ImageVersion): LokiIssue[] {
  const walk = new Walk();
  walk.block(rootTree(version), doc);
  if (!walk.aborted) {
    crossFieldRules(doc as Readonly<Record<string, unknown>>, (path, message) => walk.issues.push({ code: 'custom', path, message }));
  }
  return walk.issues;
}
