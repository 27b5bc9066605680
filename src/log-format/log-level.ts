/**
 * Log levels, normalized across every program of a stack. The collector's
 * pipeline maps each program's own words (Postgres's `ERROR:`, logfmt's
 * `level=warning`, ...) to these values and stores them under the name
 * {@link LEVEL_FIELD}; dashboards and alert rules select on it with
 * {@link levelFilter}, so they do not depend on how the level is stored.
 */
export enum LogLevel {
  ERROR = 'error',
  WARN = 'warn',
  INFO = 'info',
  DEBUG = 'debug',
}

/** The name under which a line's normalized level is stored. */
export const LEVEL_FIELD = 'level';

/**
 * A LogQL label filter keeping the lines of the given levels. A label filter
 * expression applies to stream labels, structured metadata and parsed labels
 * alike, so it holds whichever way the collector stores the level.
 */
export function levelFilter(...levels: LogLevel[]): string {
  return levelFilterOn(LEVEL_FIELD, levels);
}

/**
 * The structured metadata field of Loki's own level detection (`limits_config.discover_log_levels`):
 * for lines whose collector stores no {@link LEVEL_FIELD}.
 */
export const DETECTED_LEVEL_FIELD = 'detected_level';

/** {@link levelFilter} on another field, such as {@link DETECTED_LEVEL_FIELD}. */
export function levelFilterOn(field: string, levels: readonly LogLevel[]): string {
  if (levels.length === 0) return '';
  if (levels.length === 1) return ` | ${field}="${levels[0]}"`;
  return ` | ${field}=~"${levels.join('|')}"`;
}
