import { goOrModelDurationMs } from '../core/go-duration.js';

const DAY_MS = 86_400_000;

/** Milliseconds of a Loki duration value, or undefined if it is not one. */
export function parseLokiDuration(value: unknown): number | undefined {
  if (value === 0) return 0;
  return typeof value === 'string' ? goOrModelDurationMs(value) : undefined;
}

/** Reports a problem at the key path to change. */
export type ReportRule = (path: (string | number)[], message: string) => void;

function obj(x: unknown): Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : {};
}

/**
 * The rules across keys that Loki checks at startup (or that silently break
 * retention), each reported at the key to change. Reads only keys that the
 * reference models, so it finds the same on a document as on the document
 * stripped of unknown keys (what zod's superRefine is given).
 */
export function crossFieldRules(doc: Readonly<Record<string, unknown>>, report: ReportRule): void {
  const compactor = obj(doc.compactor);
  const limits = obj(doc.limits_config);
  const configs = Array.isArray(obj(doc.schema_config).configs) ? (obj(doc.schema_config).configs as unknown[]) : [];
  const retentionEnabled = compactor.retention_enabled === true;

  if (retentionEnabled && (typeof compactor.delete_request_store !== 'string' || compactor.delete_request_store === '')) {
    report(
      ['compactor', 'delete_request_store'],
      "is required when compactor.retention_enabled is true (Loki refuses to start: 'compactor.delete-request-store should be configured when retention is enabled'): set it to the object store of the schema, e.g. filesystem",
    );
  }

  if (configs.length === 0) {
    report(
      ['schema_config', 'configs'],
      'must hold at least one period (Loki: "must specify at least one schema configuration"): add one with store tsdb and schema v13',
    );
    return;
  }

  let previous: string | undefined;
  configs.forEach((raw, i) => {
    const c = obj(raw);
    const at = (...p: string[]) => ['schema_config', 'configs', i, ...p];
    const from = c.from;
    if (typeof from !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(from)) {
      report(at('from'), 'must be a date written YYYY-MM-DD (a day in the past for the first period)');
    } else {
      if (previous !== undefined && from <= previous) {
        report(at('from'), `must come after the previous period's ${previous}: periods are listed in increasing order of date`);
      }
      previous = from;
    }
    const period = parseLokiDuration(obj(c.index).period);
    if (period !== DAY_MS && (c.store === 'tsdb' || retentionEnabled)) {
      const why = c.store === 'tsdb' ? 'Loki requires it for the tsdb store' : 'retention only works with daily index tables';
      report(at('index', 'period'), `must be 24h (${why}): set index.period to 24h`);
    }
    if (typeof c.schema === 'string' && !/^v(9|1[0-3])$/.test(c.schema)) {
      report(at('schema'), `'${c.schema}' is not a schema version Loki knows: use v13`);
    }
  });

  // Loki's own startup check, on the newest period (allow_structured_metadata is true unless set false).
  if (limits.allow_structured_metadata !== false) {
    const i = configs.length - 1;
    const last = obj(configs[i]);
    if (last.store !== 'tsdb' || last.schema !== 'v13') {
      report(
        ['schema_config', 'configs', i],
        'structured metadata (on by default in Loki 3) needs store tsdb and schema v13 in the newest period: add a period with them, or set limits_config.allow_structured_metadata to false',
      );
    }
  }

  const retention = parseLokiDuration(limits.retention_period);
  if (retention !== undefined && retention !== 0 && retention < DAY_MS) {
    report(['limits_config', 'retention_period'], "is below Loki's minimum retention of 24h: use 24h or more (0 keeps logs forever)");
  }
  if (Array.isArray(limits.retention_stream)) {
    limits.retention_stream.forEach((r, i) => {
      const p = parseLokiDuration(obj(r).period);
      if (p !== undefined && p < DAY_MS) {
        report(['limits_config', 'retention_stream', i, 'period'], 'must be at least 24h (Loki: "retention period must be >= 24h")');
      }
    });
  }
}
