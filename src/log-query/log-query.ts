import { closest } from '../core/did-you-mean.js';
import { UserError } from '../core/errors.js';
import { checkLogQL, logqlKind, logqlString, streamSelector } from '../grafana/logql.js';
import { levelFilter, LogLevel } from '../log-format/log-level.js';
import type { KnownValues } from '../labels/value-match.js';

/** Levels from the most severe down: `--level warn` keeps warn and error. */
const SEVERITY: readonly LogLevel[] = [LogLevel.ERROR, LogLevel.WARN, LogLevel.INFO, LogLevel.DEBUG];

/** What the command line says about the lines to select. */
export interface LogSelection {
  /** Compose services (positional arguments). */
  readonly services: readonly string[];
  /** A Go RE2 regular expression the line must match. */
  readonly grep?: string;
  /** The least severe level to keep. */
  readonly level?: string;
  /** A whole LogQL log query, instead of the above. */
  readonly query?: string;
}

/** What the stack tells about its logs. */
export interface LogSource {
  /** The Compose project the collector collects (a matcher every built query starts with). */
  readonly project: string;
  /** Service names of the stack, when the collector collects this stack's own project. */
  readonly services?: readonly string[];
  /** The stream labels the collector sets; undefined when unknown (no check). */
  readonly labels?: readonly string[];
  /** The values labels can take, where the stack knows them (src/labels/log-label-values.ts). @default not checked */
  readonly labelValues?: Readonly<Record<string, KnownValues>>;
}

/** The LogQL log query for a selection: built from the typed options, or `--query`; parsed and label-checked either way. */
export function buildLogQuery(sel: LogSelection, source: LogSource): string {
  let query: string;
  if (sel.query !== undefined) {
    const mixed = [sel.services.length ? 'SERVICE arguments' : '', sel.grep !== undefined ? '--grep' : '', sel.level !== undefined ? '--level' : ''].filter(
      Boolean,
    );
    if (mixed.length)
      throw new UserError(`--query takes the whole LogQL query, so ${mixed.join(' and ')} would be ignored: put them into the query, or drop --query`);
    query = sel.query;
  } else {
    query = streamSelector({ compose_project: source.project }).slice(0, -1);
    if (sel.services.length) {
      checkServices(sel.services, source);
      const [one] = sel.services;
      query +=
        sel.services.length === 1 ? `, compose_service=${logqlString(one)}` : `, compose_service=~${logqlString(sel.services.map(regexQuote).join('|'))}`;
    }
    query += '}';
    if (sel.grep !== undefined) query += ` |~ ${logqlString(sel.grep)}`;
    if (sel.level !== undefined) query += levelFilter(...levelsFrom(sel.level));
  }
  const problem = checkLogQL(query, {
    ...(source.labels ? { streamLabels: source.labels } : {}),
    ...(source.labelValues ? { labelValues: source.labelValues } : {}),
  });
  if (problem)
    throw new UserError(sel.query !== undefined ? `--query: ${problem}` : `the query built from the options is not valid: ${problem}\n    (${query})`);
  if (logqlKind(query) !== 'log') {
    throw new UserError(
      '--query is a metric query: aixcl-logs prints log lines, so give a log query such as {compose_service="loki"} |= "error" (use aixcl-logs stats for volumes)',
    );
  }
  return query;
}

/** `--level warn` -> warn and error. */
export function levelsFrom(level: string): LogLevel[] {
  const i = SEVERITY.indexOf(level.toLowerCase() as LogLevel);
  if (i < 0) {
    const near = LEVEL_ALIASES[level.toLowerCase()] ?? closest(level.toLowerCase(), SEVERITY);
    throw new UserError(
      `--level '${level}' is not a level${near ? ` (did you mean '${near}'?)` : ''}: give one of ${SEVERITY.join(', ')} (it keeps that level and the more severe ones)`,
    );
  }
  return SEVERITY.slice(0, i + 1);
}

/** Level words programs print for the levels --level knows by another name. */
const LEVEL_ALIASES: Readonly<Record<string, LogLevel>> = {
  warning: LogLevel.WARN,
  err: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  critical: LogLevel.ERROR,
  crit: LogLevel.ERROR,
  panic: LogLevel.ERROR,
  information: LogLevel.INFO,
  notice: LogLevel.INFO,
  trace: LogLevel.DEBUG,
};

function checkServices(services: readonly string[], source: LogSource): void {
  if (!source.services) return;
  const unknown = services.filter((s) => !source.services!.includes(s));
  if (unknown.length) {
    const near = unknown.length === 1 ? closest(unknown[0], source.services) : undefined;
    throw new UserError(
      `${unknown.map((s) => `'${s}'`).join(', ')} ${unknown.length === 1 ? 'is not a service' : 'are not services'} of project ${source.project}${near ? ` (did you mean '${near}'?)` : ''}: give one of ${source.services.join(', ')}`,
    );
  }
}

/** A literal for an RE2 alternation (service names are plain words, but a JS caller may pass anything). */
function regexQuote(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}
