import { z } from 'zod';
import { closest } from '../core/did-you-mean.js';
import type { ImageVersion } from '../core/image.js';
import { LOKI_BLOCKS, LOKI_REFERENCE_VERSION, LOKI_ROOT, type LokiKeyTree, type LokiValueKind } from './loki-config-reference.js';

/** A Loki configuration document, as written to the YAML file. */
export type LokiConfigDocument = Record<string, unknown>;

/** Options of {@link createLokiConfigSchema}. */
export interface LokiConfigSchemaOptions {
  /**
   * Version of the Loki that reads the file: decides which top-level blocks exist
   * (blocks came and went between 3.x minors). Keys inside the modeled blocks
   * follow the reference of {@link LOKI_REFERENCE_VERSION}.
   * @default the reference version
   */
  readonly version?: ImageVersion;
}

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

/** Hints for keys that Loki 3.0 removed, by key name: the usual cause of "field not found" at startup. */
const REMOVED_KEYS: Readonly<Record<string, string>> = {
  shared_store:
    'removed in Loki 3.0 (the index now goes to the object_store of its schema_config period): delete it',
  shared_store_key_prefix: 'removed in Loki 3.0: set schema_config.configs[].index.path_prefix instead',
  enforce_metric_name: 'removed in Loki 3.0: delete it',
  use_boltdb_shipper_as_backup: 'removed in Loki 3.0: delete it',
  deletion_mode: 'moved to limits_config.deletion_mode in Loki 3.0',
  max_look_back_period: 'removed in Loki 3.0: use limits_config.max_query_lookback',
  // docs/sources/setup/upgrade/_index.md: "Ingester configuration `max_transfer_retries` is removed".
  max_transfer_retries: 'removed in Loki 3.0 in favour of the write-ahead log (ingester.wal): delete it',
};

const DAY_MS = 86_400_000;

/** Go (`1h30m`, `500ms`) and Prometheus (`7d`, `1w`) durations, the two kinds Loki reads. */
const DURATION_RE = /^(?:0|(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d|w|y))+)$/;
const DURATION_UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: DAY_MS,
  w: 7 * DAY_MS,
  y: 365 * DAY_MS,
};

/** Milliseconds of a Loki duration value, or undefined if it is not one. */
export function parseLokiDuration(value: unknown): number | undefined {
  if (value === 0) return 0;
  if (typeof value !== 'string' || !DURATION_RE.test(value)) return undefined;
  let ms = 0;
  for (const m of value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d|w|y)/g)) ms += Number(m[1]) * DURATION_UNIT_MS[m[2]];
  return ms;
}

/** A byte size as dskit's flagext.ByteSize parses it (go-humanize ParseBytes): `64MB`, `256 KiB`, `1.5GB`, `1024`. */
const SIZE_RE = /^\d+(?:\.\d+)?\s*(?:[kmgtpe]i?b?|b)?$/i;

// A YAML scalar: Loki's YAML decoder turns any scalar into a string field.
const scalar = z.union([z.string(), z.number(), z.boolean()], { error: 'must be a single value (string or number)' });

const LEAVES: Readonly<Record<string, () => z.ZodType>> = {
  boolean: () => z.boolean({ error: 'must be true or false' }),
  string: () => scalar,
  // yaml.v2 refuses a quoted string for an int field ("cannot unmarshal !!str `1000` into int").
  int: () => z.number({ error: 'must be a whole number, unquoted (Loki refuses a string here, even "1000")' }).int({ error: 'must be a whole number' }),
  // dskit's flagext.ByteSize: a number of bytes, or a string with a unit that humanize.ParseBytes reads.
  size: () => {
    const error = 'must be a number of bytes or a size with a unit, such as 64MB or 256KiB';
    return z.union([z.number().int().min(0), z.string().regex(SIZE_RE, { error })], { error });
  },
  float: () => z.number({ error: 'must be a number, unquoted (Loki refuses a string here)' }),
  duration: () => {
    const error = 'must be a duration such as 30s, 10m, 24h or 7d';
    return z.union([z.literal(0), z.string().regex(DURATION_RE, { error })], { error });
  },
  'string[]': () => z.array(scalar, { error: 'must be a list of strings' }),
  list: () => z.array(z.unknown(), { error: 'must be a list' }),
  map: () => z.record(z.string(), z.unknown(), { error: 'must be a mapping' }),
  block: () => z.record(z.string(), z.unknown(), { error: 'must be a mapping of settings' }),
  any: () => z.unknown(),
};

function inRange(version: ImageVersion, since?: Minor, until?: Minor): boolean {
  const cmp = (m: Minor) => version.major - m[0] || version.minor - m[1];
  return (!since || cmp(since) >= 0) && (!until || cmp(until) < 0);
}

/** The top-level key tree that a given Loki version reads. */
function rootTree(version?: ImageVersion): LokiKeyTree {
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

/** Builds strict zod schemas from the key trees, each named block once. */
class SchemaBuilder {
  private readonly named = new Map<string, z.ZodType>();

  public block(tree: LokiKeyTree): z.ZodType {
    if (tree.$map) return LEAVES.map();
    return z.strictObject(this.shape(tree), { error: 'must be a mapping of settings' });
  }

  private shape(tree: LokiKeyTree): Record<string, z.ZodType> {
    const shape: Record<string, z.ZodType> = {};
    for (const name of tree.$include ?? []) Object.assign(shape, this.shape(namedBlock(name)));
    for (const [key, kind] of Object.entries(tree)) {
      if (key === '$include' || key === '$map' || kind === undefined) continue;
      shape[key] = this.value(kind as LokiValueKind | LokiKeyTree).optional();
    }
    return shape;
  }

  private value(kind: LokiValueKind | LokiKeyTree): z.ZodType {
    if (typeof kind === 'object') return this.block(kind);
    if (kind.startsWith('@')) {
      const list = kind.endsWith('[]');
      const name = kind.slice(1, list ? -2 : undefined);
      let schema = this.named.get(name);
      if (!schema) {
        schema = this.block(namedBlock(name));
        this.named.set(name, schema);
      }
      return list ? z.array(schema, { error: 'must be a list' }) : schema;
    }
    const leaf = LEAVES[kind];
    if (!leaf) throw new Error(`unknown Loki value kind '${kind}'`);
    return leaf();
  }
}

function namedBlock(name: string): LokiKeyTree {
  const b = LOKI_BLOCKS[name];
  if (!b) throw new Error(`the Loki reference has no block '${name}'`);
  return b;
}

type Ctx = z.RefinementCtx<LokiConfigDocument>;

function obj(x: unknown): Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : {};
}

/**
 * The rules across keys that Loki checks at startup (or that silently break
 * retention), each reported at the key to change.
 */
function crossFieldRules(doc: LokiConfigDocument, ctx: Ctx): void {
  const compactor = obj(doc.compactor);
  const limits = obj(doc.limits_config);
  const configs = Array.isArray(obj(doc.schema_config).configs) ? (obj(doc.schema_config).configs as unknown[]) : [];
  const retentionEnabled = compactor.retention_enabled === true;

  if (retentionEnabled && (typeof compactor.delete_request_store !== 'string' || compactor.delete_request_store === '')) {
    ctx.addIssue({
      code: 'custom',
      path: ['compactor', 'delete_request_store'],
      message:
        "is required when compactor.retention_enabled is true (Loki refuses to start: 'compactor.delete-request-store should be configured when retention is enabled'): set it to the object store of the schema, e.g. filesystem",
    });
  }

  if (configs.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['schema_config', 'configs'],
      message: 'must hold at least one period (Loki: "must specify at least one schema configuration"): add one with store tsdb and schema v13',
    });
    return;
  }

  let previous: string | undefined;
  configs.forEach((raw, i) => {
    const c = obj(raw);
    const at = (...p: string[]) => ['schema_config', 'configs', i, ...p];
    const from = c.from;
    if (typeof from !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(from)) {
      ctx.addIssue({ code: 'custom', path: at('from'), message: 'must be a date written YYYY-MM-DD (a day in the past for the first period)' });
    } else {
      if (previous !== undefined && from <= previous) {
        ctx.addIssue({ code: 'custom', path: at('from'), message: `must come after the previous period's ${previous}: periods are listed in increasing order of date` });
      }
      previous = from;
    }
    const period = parseLokiDuration(obj(c.index).period);
    if (period !== DAY_MS && (c.store === 'tsdb' || retentionEnabled)) {
      const why = c.store === 'tsdb' ? 'Loki requires it for the tsdb store' : 'retention only works with daily index tables';
      ctx.addIssue({ code: 'custom', path: at('index', 'period'), message: `must be 24h (${why}): set index.period to 24h` });
    }
    if (typeof c.schema === 'string' && !/^v(9|1[0-3])$/.test(c.schema)) {
      ctx.addIssue({ code: 'custom', path: at('schema'), message: `'${c.schema}' is not a schema version Loki knows: use v13` });
    }
  });

  // Loki's own startup check, on the newest period (allow_structured_metadata is true unless set false).
  if (limits.allow_structured_metadata !== false) {
    const i = configs.length - 1;
    const last = obj(configs[i]);
    if (last.store !== 'tsdb' || last.schema !== 'v13') {
      ctx.addIssue({
        code: 'custom',
        path: ['schema_config', 'configs', i],
        message:
          'structured metadata (on by default in Loki 3) needs store tsdb and schema v13 in the newest period: add a period with them, or set limits_config.allow_structured_metadata to false',
      });
    }
  }

  const retention = parseLokiDuration(limits.retention_period);
  if (retention !== undefined && retention !== 0 && retention < DAY_MS) {
    ctx.addIssue({ code: 'custom', path: ['limits_config', 'retention_period'], message: "is below Loki's minimum retention of 24h: use 24h or more (0 keeps logs forever)" });
  }
  if (Array.isArray(limits.retention_stream)) {
    limits.retention_stream.forEach((r, i) => {
      const p = parseLokiDuration(obj(r).period);
      if (p !== undefined && p < DAY_MS) {
        ctx.addIssue({ code: 'custom', path: ['limits_config', 'retention_stream', i, 'period'], message: 'must be at least 24h (Loki: "retention period must be >= 24h")' });
      }
    });
  }
}

/**
 * A strict zod schema of Loki's configuration file: an unknown key anywhere in
 * a modeled block, or an unknown top-level block, is an error, as it is for
 * Loki (whose YAML decoding is strict and stops startup). Also checks the rules
 * across keys that Loki enforces at startup or that silently break retention.
 *
 * Every block is modeled key by key, with the kind of each value, from the
 * configuration reference of {@link LOKI_REFERENCE_VERSION} (generated by
 * scripts/generate-loki-reference.mjs). Only free-form mappings (headers,
 * per-tenant maps) and the few undocumented top-level blocks are not.
 */
export function createLokiConfigSchema(options: LokiConfigSchemaOptions = {}): z.ZodType<LokiConfigDocument> {
  const root = new SchemaBuilder().block(rootTree(options.version)) as z.ZodType<LokiConfigDocument>;
  return root.superRefine(crossFieldRules);
}

/**
 * The schema for the reference version of Loki ({@link LOKI_REFERENCE_VERSION}).
 * Built on first use (building walks the whole reference): a synthesis that
 * checks against a pinned version's schema never pays for this one.
 */
export const lokiConfigSchema: z.ZodType<LokiConfigDocument> = z.lazy(() => createLokiConfigSchema());

const byMinor = new Map<string, z.ZodType<LokiConfigDocument>>();

/** One schema per minor version: building one walks the whole reference. */
function schemaFor(version?: ImageVersion): z.ZodType<LokiConfigDocument> {
  if (!version) return lokiConfigSchema;
  const key = `${version.major}.${version.minor}`;
  let schema = byMinor.get(key);
  if (!schema) {
    schema = createLokiConfigSchema({ version });
    byMinor.set(key, schema);
  }
  return schema;
}

/**
 * Checks a Loki configuration document.
 * @returns one message per problem, each naming the key path and the fix; empty when valid
 */
export function checkLokiConfig(doc: unknown, options: LokiConfigSchemaOptions = {}): string[] {
  const schema = schemaFor(options.version);
  const result = schema.safeParse(doc);
  if (result.success) return [];
  const version = options.version ? `${options.version.major}.${options.version.minor}` : LOKI_REFERENCE_VERSION;
  return result.error.issues.flatMap((issue) => {
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p)));
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const where = formatPath([...path, key]);
        const hint =
          REMOVED_KEYS[key] ??
          suggest(key, siblingsAt(issue.path, options.version)) ??
          'remove it or fix its spelling';
        return `\`${where}\` is not a setting of Loki ${version} (Loki refuses to start on an unknown key): ${hint}`;
      });
    }
    return [`\`${formatPath(path) || '<root>'}\` ${issue.message}`];
  });
}

function formatPath(parts: string[]): string {
  return parts.reduce((acc, p) => (p.startsWith('[') || acc === '' ? acc + p : `${acc}.${p}`), '');
}

/** The keys known at an object path, for "did you mean" hints. */
function siblingsAt(path: readonly PropertyKey[], version?: ImageVersion): string[] {
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

function suggest(key: string, candidates: readonly string[]): string | undefined {
  const best = closest(key, candidates);
  return best ? `did you mean \`${best}\`?` : undefined;
}
