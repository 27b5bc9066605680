import { LogLevel } from './log-level.js';

/**
 * Level words that programs write, lower-cased, and the level each means.
 * Covers Go's slog (`INFO`, `WARN`, `ERROR`, `DEBUG`), go-kit (`info`, `warn`,
 * `error`, `debug`), Grafana's older `eror`/`dbug`, Python logging and loguru
 * (`WARNING`, `CRITICAL`, `SUCCESS`, `TRACE`), Postgres's severities
 * (`LOG`, `NOTICE`, `FATAL`, `PANIC`, `DEBUG1`-`DEBUG5`) and syslog's.
 * Loki's own normalization (pkg/distributor/field_detection.go,
 * normalizeLogLevel) knows fewer words and keeps `fatal`/`critical` apart;
 * here they are errors, since an alert on errors must see them.
 */
const COMMON: Readonly<Record<LogLevel, readonly string[]>> = {
  [LogLevel.ERROR]: ['error', 'err', 'eror', 'fatal', 'panic', 'critical', 'crit', 'alert', 'emerg', 'emergency', 'severe'],
  [LogLevel.WARN]: ['warn', 'warning', 'wrn'],
  [LogLevel.INFO]: ['info', 'inf', 'information', 'notice', 'success', 'log'],
  [LogLevel.DEBUG]: ['debug', 'dbug', 'dbg', 'trace', 'trc', 'debug1', 'debug2', 'debug3', 'debug4', 'debug5'],
};

/** The common level words with a program's own ones added (theirs win). */
export function levelWords(extra: Readonly<Record<string, LogLevel>>): ReadonlyMap<string, LogLevel> {
  const words = new Map<string, LogLevel>();
  for (const [level, list] of Object.entries(COMMON) as [LogLevel, readonly string[]][]) {
    for (const w of list) words.set(w, level);
  }
  for (const [w, level] of Object.entries(extra)) words.set(w.toLowerCase(), level);
  return words;
}
