import type { ImageVersion } from '../core/image.js';
import { LOKI_BLOCKS, LOKI_ROOT, type LokiKeyTree, type LokiValueKind } from './loki-config-reference.js';

// The key trees as both checkers of a Loki document read them: the zod schema
// (loki-config-schema.ts) and the walker (loki-config-walker.ts). One reading, so
// the two cannot disagree on which keys exist, in which order they are checked,
// or what kind each holds.

/** What a key holds: a value kind or a block written out in place. */
export type LokiKeyKind = LokiValueKind | LokiKeyTree;

type Minor = readonly [major: number, minor: number];

/**
 * Top-level keys that only some 3.x minors read, from the `Config` struct of
 * every 3.x tag (each appeared or disappeared at a minor release).
 * `until` is the first minor without the key.
 */
const VERSIONED_TOP_LEVEL: Readonly<Record<string, { kind: LokiValueKind; since?: Minor; until?: Minor }>> = {
  bloom_compactor: { kind: 'block', until: [3, 2] },
  bloom_build: { kind: 'block', since: [3, 1] },
  profiling: { kind: 'block', since: [3, 1] },
  kafka_config: { kind: 'block', since: [3, 2] },
  kafka_ingester: { kind: 'block', since: [3, 2], until: [3, 3] },
  partition_ring: { kind: 'block', since: [3, 2], until: [3, 3] },
  metastore: { kind: 'block', since: [3, 2], until: [3, 4] },
  metastore_client: { kind: 'block', since: [3, 2], until: [3, 4] },
  ruler_storage: { kind: 'block', since: [3, 3] },
  block_builder: { kind: 'block', since: [3, 4], until: [3, 6] },
  block_scheduler: { kind: 'block', since: [3, 4], until: [3, 6] },
  dataobj_explorer: { kind: 'block', since: [3, 4], until: [3, 5] },
  dataobj: { kind: 'block', since: [3, 5] },
  ingest_limits: { kind: 'block', since: [3, 5] },
  ingest_limits_frontend: { kind: 'block', since: [3, 5] },
  ingest_limits_frontend_client: { kind: 'block', since: [3, 5] },
  ui: { kind: 'block', since: [3, 5] },
  tenant_limits_allow_publish: { kind: 'string[]', since: [3, 6] },
  query_engine: { kind: 'block', since: [3, 7] },
};

/** Top-level keys every 3.x reads although the reference leaves them out. */
const UNDOCUMENTED_TOP_LEVEL: Readonly<Record<string, LokiValueKind>> = {
  http_prefix: 'string',
  internal_server: 'block',
  compactor_client: 'block',
  legacy_read_target: 'boolean',
};

function inRange(version: ImageVersion, since?: Minor, until?: Minor): boolean {
  const cmp = (m: Minor) => version.major - m[0] || version.minor - m[1];
  return (!since || cmp(since) >= 0) && (!until || cmp(until) < 0);
}

const roots = new Map<string, LokiKeyTree>();

/** The top-level key tree that a given Loki version reads (one per minor: the trees are read-only). */
export function rootTree(version?: ImageVersion): LokiKeyTree {
  const key = version ? `${version.major}.${version.minor}` : '';
  let tree = roots.get(key);
  if (!tree) {
    tree = buildRootTree(version);
    roots.set(key, tree);
  }
  return tree;
}

function buildRootTree(version?: ImageVersion): LokiKeyTree {
  const tree: Record<string, LokiValueKind | LokiKeyTree | readonly string[] | boolean | undefined> = {
    ...LOKI_ROOT,
    ...UNDOCUMENTED_TOP_LEVEL,
  };
  for (const [key, v] of Object.entries(VERSIONED_TOP_LEVEL)) {
    // Keep the reference's kind for keys it models; without a version, the reference's own set stands.
    if (!version) continue;
    if (inRange(version, v.since, v.until)) tree[key] = LOKI_ROOT[key] ?? v.kind;
    else delete tree[key];
  }
  return tree;
}

export function namedBlock(name: string): LokiKeyTree {
  const b = LOKI_BLOCKS[name];
  if (!b) throw new Error(`the Loki reference has no block '${name}'`);
  return b;
}

/** The named block an `@name` or `@name[]` kind refers to, or undefined for any other kind. */
export function blockRef(kind: LokiValueKind): { readonly name: string; readonly list: boolean } | undefined {
  if (!kind.startsWith('@')) return undefined;
  const list = kind.endsWith('[]');
  return { name: kind.slice(1, list ? -2 : undefined), list };
}

const fieldCache = new WeakMap<LokiKeyTree, Readonly<Record<string, LokiKeyKind>>>();

/**
 * The keys of a block with what each holds, inlined (`$include`) blocks first:
 * the order in which the keys are checked, so the order of the problems found.
 */
export function fieldsOf(tree: LokiKeyTree): Readonly<Record<string, LokiKeyKind>> {
  let fields = fieldCache.get(tree);
  if (!fields) {
    fields = collectFields(tree);
    fieldCache.set(tree, fields);
  }
  return fields;
}

function collectFields(tree: LokiKeyTree): Record<string, LokiKeyKind> {
  const fields: Record<string, LokiKeyKind> = {};
  for (const name of tree.$include ?? []) Object.assign(fields, fieldsOf(namedBlock(name)));
  for (const [key, kind] of Object.entries(tree)) {
    if (key === '$include' || key === '$map' || kind === undefined) continue;
    fields[key] = kind as LokiKeyKind;
  }
  return fields;
}

/** The keys known at an object path, for "did you mean" hints. */
export function siblingsAt(path: readonly PropertyKey[], version?: ImageVersion): string[] {
  let tree: LokiKeyTree | undefined = rootTree(version);
  for (const p of path) {
    if (!tree) return [];
    if (typeof p === 'number') continue;
    let next: unknown = tree[String(p)];
    if (typeof next === 'string' && next.startsWith('@')) next = LOKI_BLOCKS[next.slice(1).replace(/\[\]$/, '')];
    tree = typeof next === 'object' && next !== null && !Array.isArray(next) ? (next as LokiKeyTree) : undefined;
  }
  if (!tree) return [];
  const keys = Object.keys(tree).filter((k) => k !== '$include' && k !== '$map');
  for (const name of tree.$include ?? []) keys.push(...Object.keys(LOKI_BLOCKS[name] ?? {}));
  return keys;
}
