import { goStringLiteral as logqlString } from '../core/go-string.js';
import { LogLevel, LEVEL_FIELD } from '../log-format/log-level.js';
import { LogFormat, LogParser } from '../log-format/log-format.js';

/*
 * Promtail pipeline stages derived from the services' log formats. Stage
 * keys and behaviour follow Promtail 3.6's docs
 * (docs/sources/send-data/promtail/stages/*.md of grafana/loki v3.6.x) and
 * its code (clients/pkg/logentry/stages/*.go):
 * - `match` runs its stages only on entries whose labels match the selector
 *   (and whose line passes its line filter); others pass through untouched.
 * - `multiline` keeps one block per stream (labels), flushed on the next
 *   first line, after `max_wait_time` or at `max_lines`.
 * - `regex`/`json`/`logfmt` put fields into the extracted map (a line that
 *   does not parse extracts nothing and goes on).
 * - `template` rewrites an extracted value; an empty result deletes it, and a
 *   missing source makes the template fail, which leaves the entry as it is.
 * - `timestamp` replaces the entry's time (Docker's read time) with the
 *   line's own; `action_on_failure: skip` keeps Docker's when it does not parse.
 * - `structured_metadata` attaches extracted values to the entry, unindexed.
 */

/** The label every line carries with its compose service (set by the relabels). */
export const SERVICE_SELECTOR_LABEL = 'compose_service';

/** How long a multi-line entry waits for its next line when the format does not say. */
export const DEFAULT_MULTILINE_WAIT_MS = 250;

/** RE2 of a line that starts with a logfmt pair (`key=`). */
export const LOGFMT_LINE = '^[a-zA-Z_][a-zA-Z0-9_.]*=';

/** A service and the format of its lines. */
export interface ServiceLogFormat {
  readonly serviceName: string;
  readonly format: LogFormat;
  /**
   * Whether the container's clock is known to be UTC (no `TZ`, or a UTC one): only then is a
   * time written without a numeric offset read from the line. @default true
   */
  readonly utcClock?: boolean;
}

/** `TZ` values that mean UTC (glibc reads an empty TZ as UTC too); undefined: TZ not set. */
const UTC_ZONES = new Set([
  '',
  'UTC',
  'UTC0',
  'Etc/UTC',
  'Etc/UCT',
  'UCT',
  'GMT',
  'GMT0',
  'Etc/GMT',
  'Etc/GMT0',
  'Universal',
  'Etc/Universal',
  'Zulu',
  'Etc/Zulu',
]);

/** Whether a container with this `TZ` (see Service.timeZone) keeps its clock in UTC. */
export function isUtcZone(tz: string | null | undefined): boolean {
  return tz === undefined || (tz !== null && UTC_ZONES.has(tz));
}

/**
 * Whether a timestamp layout fixes the instant by itself: a numeric offset (`Z07:00`, `-0700`,
 * `-07`...) or a Unix time. A layout without one is read by Promtail as UTC (timestamp.go, no
 * `location`), and a zone abbreviation (`MST`) is read by Go's time.Parse as offset 0 unless it is
 * UTC: both are an hour or more off in a container whose TZ is Europe/Berlin, and Loki refuses
 * lines from the future. (`location` would fix the first, but it needs the zone database in
 * Promtail's image, and a missing one stops Promtail at startup.)
 */
export function layoutHasOffset(layout: string): boolean {
  const named: Record<string, boolean> = {
    RFC3339: true,
    RFC3339Nano: true,
    RFC822Z: true,
    RFC1123Z: true,
    RubyDate: true,
    Unix: true,
    UnixMs: true,
    UnixUs: true,
    UnixNs: true,
    ANSIC: false,
    UnixDate: false,
    RFC822: false,
    RFC850: false,
    RFC1123: false,
    Kitchen: false,
    Stamp: false,
    StampMilli: false,
    StampMicro: false,
    StampNano: false,
  };
  if (layout in named) return named[layout];
  return /Z07|[-+]07/.test(layout);
}

/** One pipeline stage: a mapping with exactly one key, the stage's name. */
export type PipelineStage = Record<string, unknown>;

/** The `match` stages of every service with a declared format, in service-name order. */
export function pipelineStages(services: readonly ServiceLogFormat[]): PipelineStage[] {
  return [...services]
    .sort((a, b) => (a.serviceName < b.serviceName ? -1 : a.serviceName > b.serviceName ? 1 : 0))
    .map((s) => ({
      match: {
        selector: `{${SERVICE_SELECTOR_LABEL}=${logqlString(s.serviceName)}}`,
        stages: formatStages(s.serviceName, s.format, s.utcClock ?? true),
      },
    }));
}

/** The stages of one service's format, in the order Promtail must run them. */
export function formatStages(serviceName: string, format: LogFormat, utcClock = true): PipelineStage[] {
  const stages: PipelineStage[] = [];
  // Noise first, on the raw line: a dropped health-check line must not join a multi-line entry.
  for (const rule of format.rules) {
    if (rule.keep === undefined) {
      stages.push({ drop: { expression: rule.pattern, drop_counter_reason: rule.reason } });
    } else {
      stages.push({
        match: {
          selector: `{${SERVICE_SELECTOR_LABEL}=${logqlString(serviceName)}} |~ ${logqlString(rule.pattern)}`,
          stages: [{ sampling: { rate: rule.keep, drop_counter_reason: rule.reason } }],
        },
      });
    }
  }
  const ml = format.multiline;
  if (ml) {
    stages.push({
      multiline: {
        firstline: ml.firstLine,
        max_wait_time: `${ml.maxWait?.milliseconds ?? DEFAULT_MULTILINE_WAIT_MS}ms`,
        max_lines: ml.maxLines ?? 128,
      },
    });
  }
  const fields = [format.levelField, format.timestamp?.field, ...format.metadata].filter((f, i, all): f is string => f !== undefined && all.indexOf(f) === i);
  switch (format.parser) {
    case LogParser.JSON:
      stages.push({ json: { expressions: Object.fromEntries(fields.map((f) => [extractedName(f), jmesPath(f)])) } });
      break;
    case LogParser.LOGFMT:
      // Only on lines that start like logfmt: Promtail logs an ERROR for every line its logfmt
      // decoder rejects (logfmt.go, "failed to decode logfmt"), so a program's other lines (an
      // access log, a panic) would make the collector itself look like it fails.
      stages.push({
        match: {
          selector: `{${SERVICE_SELECTOR_LABEL}=${logqlString(serviceName)}} |~ ${logqlString(LOGFMT_LINE)}`,
          stages: [{ logfmt: { mapping: Object.fromEntries(fields.map((f) => [f, f])) } }],
        },
      });
      break;
    case LogParser.REGEX:
      for (const expression of format.expressions) stages.push({ regex: { expression } });
      break;
  }
  const level = extractedName(format.levelField);
  stages.push({ template: { source: level, template: levelTemplate(format.levelWords) } });
  const ts = format.timestamp;
  // In a container whose clock is not UTC, only layouts with a numeric offset are read; with none
  // left, the entry keeps Docker's timestamp (the time of the write, always right).
  const layouts = ts ? [ts.format, ...(ts.fallbackFormats ?? [])].filter((l) => utcClock || layoutHasOffset(l)) : [];
  if (ts && layouts.length) {
    stages.push({
      timestamp: {
        source: extractedName(ts.field),
        format: layouts[0],
        ...(layouts.length > 1 ? { fallback_formats: layouts.slice(1) } : {}),
        // Keep Docker's time for a line whose own time does not parse (rather than inventing one).
        action_on_failure: 'skip',
      },
    });
  }
  const metadata: Record<string, string> = { [LEVEL_FIELD]: level };
  for (const m of format.metadata) if (m !== format.levelField) metadata[extractedName(m)] = extractedName(m);
  stages.push({ structured_metadata: metadata });
  return stages;
}

/**
 * The name a field gets in Promtail's extracted map (and in structured
 * metadata): a label name, so a JSON path `http.status` becomes `http_status`.
 */
export function extractedName(field: string): string {
  return field.replace(/[^a-zA-Z0-9_]/g, '_').replace(/^(\d)/, '_$1');
}

/** A JMESPath reaching a (possibly nested) JSON key: segments that are not identifiers are quoted. */
function jmesPath(field: string): string {
  return field
    .split('.')
    .map((seg) => (/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(seg) ? seg : JSON.stringify(seg)))
    .join('.');
}

/** Levels in the order the template tests them. */
const LEVEL_ORDER = [LogLevel.ERROR, LogLevel.WARN, LogLevel.INFO, LogLevel.DEBUG] as const;

/**
 * The Go template (Promtail's `template` stage, text/template with its
 * `ToLower`) that maps the program's level word to error/warn/info/debug.
 * An unknown word yields nothing, which deletes the field: the line then has
 * no `level` rather than a wrong one. `eq` with several arguments is true
 * when the first equals any of the others (text/template).
 */
export function levelTemplate(words: ReadonlyMap<string, LogLevel>): string {
  const branches = LEVEL_ORDER.map((level) => {
    const list = [...words].filter(([, l]) => l === level).map(([w]) => JSON.stringify(w));
    return list.length ? `if eq $l ${list.join(' ')} }}${level}` : undefined;
  }).filter((b): b is string => b !== undefined);
  return `{{ $l := ToLower .Value }}{{ ${branches.join('{{ else ')}{{ end }}`;
}
