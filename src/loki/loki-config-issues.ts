import { closest } from '../core/did-you-mean.js';
import type { ImageVersion } from '../core/image.js';
import { LOKI_REFERENCE_VERSION } from './loki-config-reference.js';
import { siblingsAt } from './loki-config-tree.js';

/**
 * @internal One problem of a Loki document, as the walker reports it; a zod issue
 * has the same shape, so the zod schema's issues are written out by the same code.
 */
export interface LokiIssue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  /** What is wrong with the value at `path` (not read for `unrecognized_keys`). */
  readonly message: string;
  /** The unknown keys of the mapping at `path`, on an `unrecognized_keys` issue. */
  readonly keys?: readonly string[];
}

/** Hints for keys that Loki 3.0 removed, by key name: the usual cause of "field not found" at startup. */
const REMOVED_KEYS: Readonly<Record<string, string>> = {
  shared_store: 'removed in Loki 3.0 (the index now goes to the object_store of its schema_config period): delete it',
  shared_store_key_prefix: 'removed in Loki 3.0: set schema_config.configs[].index.path_prefix instead',
  enforce_metric_name: 'removed in Loki 3.0: delete it',
  use_boltdb_shipper_as_backup: 'removed in Loki 3.0: delete it',
  deletion_mode: 'moved to limits_config.deletion_mode in Loki 3.0',
  max_look_back_period: 'removed in Loki 3.0: use limits_config.max_query_lookback',
  // docs/sources/setup/upgrade/_index.md: "Ingester configuration `max_transfer_retries` is removed".
  max_transfer_retries: 'removed in Loki 3.0 in favour of the write-ahead log (ingester.wal): delete it',
};

/**
 * @internal One message per problem, each naming the key path and the fix: an
 * unknown key gets the hint for a removed key, else the closest known key.
 */
export function formatLokiIssues(issues: readonly LokiIssue[], version?: ImageVersion): string[] {
  const release = version ? `${version.major}.${version.minor}` : LOKI_REFERENCE_VERSION;
  return issues.flatMap((issue) => {
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p)));
    if (issue.code === 'unrecognized_keys') {
      return (issue.keys ?? []).map((key) => {
        const where = formatPath([...path, key]);
        const hint = REMOVED_KEYS[key] ?? suggest(key, siblingsAt(issue.path, version)) ?? 'remove it or fix its spelling';
        return `\`${where}\` is not a setting of Loki ${release} (Loki refuses to start on an unknown key): ${hint}`;
      });
    }
    return [`\`${formatPath(path) || '<root>'}\` ${issue.message}`];
  });
}

function formatPath(parts: string[]): string {
  return parts.reduce((acc, p) => (p.startsWith('[') || acc === '' ? acc + p : `${acc}.${p}`), '');
}

function suggest(key: string, candidates: readonly string[]): string | undefined {
  const best = closest(key, candidates);
  return best ? `did you mean \`${best}\`?` : undefined;
}
