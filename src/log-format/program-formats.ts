import { LogLevel } from './log-level.js';
import { LogFormat } from './log-format.js';

/*
 * The log formats of the programs the built-in services run, as their pinned
 * images write them (looked up in each program's source; sample lines in
 * test/fixtures/logs/ with their sources). Each service construct declares
 * its format from here.
 */

/**
 * PostgreSQL (postgres:17 image): the server writes to stderr, each line
 * prefixed by `log_line_prefix`, whose default since PostgreSQL 10 is
 * `'%m [%p] '` (src/backend/utils/misc/guc_tables.c; postgresql.conf.sample):
 * `2026-11-29 08:00:00.123 UTC [62] ERROR:  relation "x" does not exist`.
 * The image leaves TZ unset, so initdb writes `log_timezone = 'Etc/UTC'` and
 * `%m` ends in `UTC`. After the prefix comes the severity and a colon
 * (elog.c, error_severity): DEBUG (for every one of DEBUG1-5), LOG, INFO,
 * NOTICE, WARNING, ERROR, FATAL, PANIC; then the same prefix starts the report's secondary lines
 * (DETAIL, HINT, QUERY, CONTEXT, LOCATION, STATEMENT). A message over several
 * lines continues on lines that start with a tab (elog.c, append_with_tabs).
 * So an entry starts at a prefixed line with a primary severity; the
 * secondary lines and the tab-indented continuations join it.
 */
export function postgresLogFormat(): LogFormat {
  const stamp = String.raw`\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}`;
  const prefix = String.raw`${stamp} [A-Za-z0-9+:/_-]+ \[\d+\] `;
  // The time is taken only when its zone is UTC or GMT. Promtail parses the zone abbreviation
  // with Go's time.Parse, which knows only the location's own abbreviations (Promtail's image
  // runs in UTC) and reads any other one (CET, EST, -03) as offset 0: a Postgres with
  // log_timezone = 'Europe/Berlin' would have every line shifted by an hour, and Loki refuses
  // lines from the future ("entry too far behind" / creation grace). In another zone the
  // second branch matches, `time` is '' (regex.go sets every named group) and the timestamp
  // stage skips it: the entry keeps Docker's own timestamp, which is right.
  return LogFormat.regex(String.raw`^(?:(?P<time>${stamp} (?:UTC|GMT))|${stamp} [A-Za-z0-9+:/_-]+) \[(?P<pid>\d+)\] (?P<level>[A-Z0-9]+):  `, {
    // Orphaned secondary lines (their entry already flushed) carry the entry's context: info.
    levels: { detail: LogLevel.INFO, hint: LogLevel.INFO, query: LogLevel.INFO, context: LogLevel.INFO, location: LogLevel.INFO, statement: LogLevel.INFO },
    timestamp: { field: 'time', format: '2006-01-02 15:04:05.000 MST' },
    // pid: one per backend connection, so unbounded over time: as a label every connection
    // would open new streams; as metadata a query can still follow one session.
    metadata: ['pid'],
    multiline: { firstLine: `^${prefix}(DEBUG|LOG|INFO|NOTICE|WARNING|ERROR|FATAL|PANIC):  ` },
  });
}

/**
 * Ollama 0.12 (ollama/ollama:0.12.3): the server logs through Go's slog text
 * handler with source locations (logutil/logutil.go, NewLogger:
 * `slog.NewTextHandler` with `AddSource`, a `TRACE` level below DEBUG):
 * `time=2025-10-01T12:00:00.123Z level=INFO source=routes.go:1475 msg="..."`
 * (slog writes the time as RFC 3339 with milliseconds). Its HTTP router is
 * `gin.Default()` (server/routes.go), whose logger writes one `[GIN] ...` line
 * per request, without a level.
 */
export function ollamaLogFormat(): LogFormat {
  return LogFormat.logfmt({
    timestamp: { field: 'time', format: 'RFC3339Nano' },
    // source: file:line of the log call, hundreds of values: metadata, never a label.
    metadata: ['source'],
    rules: [
      // The healthcheck (`ollama list`) and Open WebUI's model list poll GET /api/tags: keep one in ten of the successful ones.
      { pattern: String.raw`^\[GIN\] [^|]*\| 200 \|[^|]*\|[^|]*\| GET +"/api/tags"$`, reason: 'model_list_polling', keep: 0.1 },
    ],
  });
}

/**
 * go-kit's logfmt logger as Loki and Promtail use it (dskit log, Loki
 * pkg/util/log/log.go: `level`, then `ts` with `log.DefaultTimestampUTC`
 * (RFC 3339 with nanoseconds), `caller=file.go:line`, `msg`):
 * `level=info ts=2024-03-11T13:44:10.322919331Z caller=loki.go:355 msg="Loki started"`.
 */
export function goKitLogFormat(): LogFormat {
  return LogFormat.logfmt({
    timestamp: { field: 'ts', format: 'RFC3339Nano' },
    // caller: file:line, hundreds of values: metadata, never a label.
    metadata: ['caller'],
  });
}

/**
 * Prometheus 3 (prom/prometheus:v3.5): promslog, Go's slog text handler
 * (prometheus/common promslog: keys `time`, `level` in upper case, `source`,
 * `msg`): `time=2025-07-15T10:00:00.123Z level=INFO source=main.go:1413 msg="..."`.
 */
export function prometheusLogFormat(): LogFormat {
  return LogFormat.logfmt({
    timestamp: { field: 'time', format: 'RFC3339Nano' },
    // source: file:line, hundreds of values: metadata, never a label.
    metadata: ['source'],
  });
}

/**
 * Grafana (grafana/grafana:13): logfmt through go-kit (pkg/infra/log/log.go:
 * `logger=<name>` first, `t` with `time.RFC3339Nano`, then `level` and `msg`):
 * `logger=settings t=2025-03-27T10:42:46.123456789Z level=info msg="Starting Grafana"`.
 * Older lines used `eror`/`dbug` (pkg/infra/log/level/level.go); both are known words.
 */
export function grafanaLogFormat(): LogFormat {
  return LogFormat.logfmt({
    timestamp: { field: 't', format: 'RFC3339Nano' },
    // logger: Grafana's subsystem (a few hundred names): metadata, filterable without new streams.
    metadata: ['logger'],
  });
}

/**
 * Open WebUI (ghcr.io/open-webui/open-webui:v0.6): loguru on stdout with
 * `stdout_format` (backend/open_webui/utils/logger.py):
 * `{time:YYYY-MM-DD HH:mm:ss.SSS} | {level: <8} | {name}:{function}:{line} - {message}`,
 * then ` - {extra}` when there is extra data and the exception's traceback on
 * the following lines. Python's logging (uvicorn's access log included) is
 * routed into loguru (InterceptHandler). The time is the container's local
 * time; the image sets no TZ, so it is UTC (how Promtail reads a layout
 * without a zone).
 */
export function openWebUiLogFormat(): LogFormat {
  return LogFormat.regex(String.raw`^(?P<time>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}) \| (?P<level>[A-Z]+) *\| (?P<module>\S+) - `, {
    timestamp: { field: 'time', format: '2006-01-02 15:04:05.000' },
    // module: python module:function:line, hundreds of values: metadata, never a label.
    metadata: ['module'],
    // A traceback follows its message on lines of its own: they join the entry.
    multiline: { firstLine: String.raw`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} \| ` },
    rules: [
      // The healthcheck's GET /health, every 15 s.
      { pattern: String.raw`"GET /health HTTP/[0-9.]+" 200`, reason: 'healthcheck' },
    ],
  });
}

/**
 * pgAdmin 4 (dpage/pgadmin4:9.8): gunicorn runs it with `--access-logfile -`
 * (pkg/docker/entrypoint.sh), so three kinds of line reach the container's
 * output:
 * - gunicorn's own log, `[%(asctime)s] [%(process)d] [%(levelname)s] %(message)s`
 *   with the date `[%Y-%m-%d %H:%M:%S %z]` (gunicorn/glogging.py);
 * - its access log in the default `%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"`;
 * - pgAdmin's console log, `CONSOLE_LOG_FORMAT = '%(asctime)s: %(levelname)s\t%(name)s:\t%(message)s'`
 *   (web/config.py; Python's asctime is `2025-01-01 12:00:00,123`), WARNING and above.
 */
export function pgAdminLogFormat(): LogFormat {
  return LogFormat.regex(
    [
      String.raw`^\[(?P<time>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4})\] \[\d+\] \[(?P<level>[A-Z]+)\] `,
      String.raw`^\S+ \S+ \S+ \[(?P<time>\d{2}/[A-Za-z]{3}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4})\] "[A-Z]+ (?P<path>\S+) [^"]*" \d{3} `,
      String.raw`^(?P<time>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}): (?P<level>[A-Z]+)\t`,
    ],
    {
      timestamp: { field: 'time', format: '2006-01-02 15:04:05 -0700', fallbackFormats: ['02/Jan/2006:15:04:05 -0700', '2006-01-02 15:04:05,000'] },
      // path: request paths carry ids: unbounded, metadata only.
      metadata: ['path'],
      multiline: {
        firstLine: String.raw`^(\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}\] |\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}: |\S+ \S+ \S+ \[\d{2}/[A-Za-z]{3}/\d{4}:)`,
      },
      rules: [
        // The healthcheck's GET /misc/ping, every 15 s.
        { pattern: String.raw`"GET /misc/ping HTTP/[0-9.]+" 200 `, reason: 'healthcheck' },
      ],
    },
  );
}
