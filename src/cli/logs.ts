import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { nearestCommand } from './run-cli.js';
import { UserError } from '../core/errors.js';
import { ExitCode } from '../deploy/exit-codes.js';
import { LogPrinter, useColour, type OutputMode } from '../log-query/log-output.js';
import type { LogTarget } from '../log-query/log-target.js';
import { LokiClient, type LogEntry } from '../log-query/loki-client.js';
import { LokiError, LokiFailure } from '../log-query/loki-error.js';
import { formatDuration, timeRange, type TimeRange } from '../log-query/time-range.js';

// The library (stack loading, LogQL parser, Loki client) is imported when a
// command runs, not at start-up: `aixcl-logs --help` loads commander only.
const lib = async () => {
  const [stack, target, query, logql, follow, cursor] = await Promise.all([
    import('./load-stack.js'),
    import('../log-query/log-target.js'),
    import('../log-query/log-query.js'),
    import('../grafana/logql.js'),
    import('../log-query/follow.js'),
    import('../log-query/tail-cursor.js'),
  ]);
  return { ...stack, ...target, ...query, ...logql, ...follow, ...cursor };
};

/** This package's root (two levels up, from dist/cli or dist/bundle). */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const version = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface CommonOptions {
  stack?: string;
  context?: string[];
  loki?: string;
  since?: string;
  from?: string;
  to?: string;
  output: OutputMode;
}
interface QueryOptions extends CommonOptions {
  grep?: string;
  level?: string;
  limit?: number;
  follow?: boolean;
  query?: string;
  timestamps?: boolean;
  delayFor?: number;
}

const HELP_AFTER = `
Selects lines with LogQL built from the options (services, --grep, --level), or the
--query you give; either way the query is parsed and its labels checked against the
stack's collector before anything is sent. Loki's URL is the stack's (the default
stack, or --stack/-c as for aixcl-synth), or --loki (or LOKI_ADDR).

Environment: LOKI_USERNAME and LOKI_PASSWORD (basic auth) or LOKI_BEARER_TOKEN /
LOKI_BEARER_TOKEN_FILE; LOKI_ORG_ID (X-Scope-OrgID, the tenant of a multi-tenant
Loki); LOKI_ADDR (Loki's URL, like --loki); LOKI_CLIENT_RETRIES (retries of a busy
Loki's 429/502/503/504, default 5) and LOKI_CLIENT_MIN_BACKOFF (first wait in seconds,
default 0.5, doubled each retry); NO_COLOR turns colours off.

Exit codes:
  0    done (with --follow: stopped with Ctrl-C)
  1    Loki failed (a 5xx, or still busy after the retries of 429)
  2    invalid option or query, or Loki refused the request (a limit, credentials)
  4    Loki could not be reached (is the stack up? aixcl-deploy status)
  70   internal error (a bug: please report it with the trace)
  130  interrupted (Ctrl-C) before the answer was printed

Examples:
  $ aixcl-logs postgres --grep '(?i)error|exception' --since 10m
  $ aixcl-logs ollama --grep '(?i)loading|model|inference' --follow
  $ aixcl-logs --level warn --since 1h --output jsonl | jq .line
  $ aixcl-logs --query '{compose_project="aixcl"} |~ "(?i)starting|started|ready"'
  $ aixcl-logs labels compose_service
  $ aixcl-logs stats --since 24h`;

function commonOptions(cmd: Command): Command {
  return cmd
    .option(
      '-s, --stack <file>',
      'stack file whose Loki and labels are used, or aixcl-cdk/NAME (default: the project\'s package.json "aixcl.stack", else the AIXCL stack)',
    )
    .option('-c, --context <key=value...>', 'values passed to a stack file that exports a function (e.g. -c project=dev)')
    .option('--loki <url>', "Loki's URL (default: LOKI_ADDR, else the stack's Loki, e.g. http://127.0.0.1:3100)")
    .option('--since <duration>', 'how far back: 15m, 2h, 7d (default 1h)')
    .option('--from <time>', 'start: RFC 3339 (2026-11-29T08:00:00Z), a date, Unix seconds, or a duration ago')
    .option('--to <time>', 'end (default now)')
    .addOption(
      new Option('-o, --output <mode>', 'default: service | line; raw: the line alone; jsonl: one JSON object per line')
        .choices(['default', 'raw', 'jsonl'])
        .default('default'),
    );
}

function positiveInt(name: string) {
  return (v: string): number => {
    if (!/^\d+$/.test(v) || Number(v) <= 0) throw new UserError(`${name} must be a positive whole number (got '${v}')`);
    return Number(v);
  };
}

const program = commonOptions(
  new Command()
    .name('aixcl-logs')
    .description("Search and follow the stack's logs in Loki, from the terminal.")
    .version(version)
    .argument('[service...]', 'Compose services of the stack (default: all)')
    .option('-g, --grep <re2>', 'keep lines matching this Go RE2 regular expression ((?i) for any case)')
    .option('-l, --level <level>', 'keep lines of this level and more severe ones: error, warn, info, debug')
    .option('-q, --query <logql>', 'a whole LogQL log query instead of services/--grep/--level')
    .option('-n, --limit <n>', 'most lines to print: the newest ones of the range (default 1000; 100 with --follow)', positiveInt('--limit'))
    .option('-f, --follow', 'keep printing new lines as they arrive (Ctrl-C stops)')
    .option('-t, --timestamps', 'print each line with its timestamp')
    .option('--delay-for <seconds>', "with --follow: Loki's delay_for, to let slow collectors catch up (0 to 5)", positiveInt('--delay-for')),
)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride()
  // `labels --loki URL`: options after a subcommand are that subcommand's.
  .enablePositionalOptions()
  .addHelpText('after', HELP_AFTER)
  .action(async (services: string[], opts: QueryOptions) => {
    await runQuery(services, opts);
  });

// `aixcl-logs --loki URL labels`: an option the subcommand also has counts as given to it (unless
// given again after it); an option of the query alone (--grep, --follow...) is refused, not ignored.
program.hook('preAction', (_program, action) => {
  if (action === program) return;
  for (const o of program.options) {
    const key = o.attributeName();
    if (program.getOptionValueSource(key) !== 'cli') continue;
    if (!action.options.some((x) => x.attributeName() === key)) {
      throw new UserError(`${o.long} is an option of the log query, not of '${action.name()}': drop it (aixcl-logs ${action.name()} --help)`);
    }
    if (action.getOptionValueSource(key) !== 'cli') action.setOptionValueWithSource(key, program.getOptionValue(key), 'cli');
  }
});

commonOptions(program.command('labels'))
  .description("the label names of the stack's streams, or the values of one label")
  .argument('[name]', 'a label whose values to list (e.g. compose_service)')
  .action(async (name: string | undefined, opts: CommonOptions) => {
    const { target, client, range, L } = await connect(opts);
    const query = L.streamSelector({ compose_project: target.project });
    const values = name ? await client.labelValues(name, { query, ...range }) : await client.labels({ query, ...range });
    const out = values.sort().map((v) => (opts.output === 'jsonl' ? JSON.stringify(name ? { label: name, value: v } : { label: v }) : v));
    write(out.length ? `${out.join('\n')}\n` : '');
  });

commonOptions(program.command('stats'))
  .description('lines and bytes of logs per service over the range')
  .argument('[service...]', 'Compose services (default: all)')
  .action(async (services: string[], opts: CommonOptions) => {
    const { target, client, range, L } = await connect(opts);
    const selector = L.buildLogQuery({ services }, target);
    const seconds = Math.max(1, Number((range.end - range.start) / 1_000_000_000n));
    // Lines from a metric query; bytes from the index volume endpoint (it has no line count).
    const [lines, volume] = await Promise.all([
      client.instant({ query: `sum by (compose_service) (count_over_time(${selector}[${seconds}s]))`, time: range.end }),
      client.volume({ query: selector, start: range.start, end: range.end, targetLabels: ['compose_service'] }),
    ]);
    const rows = new Map<string, { lines: number; bytes: number }>();
    const row = (s: string) => rows.get(s) ?? rows.set(s, { lines: 0, bytes: 0 }).get(s)!;
    for (const l of lines) row(l.metric.compose_service ?? '?').lines += l.value;
    for (const v of volume) row(v.metric.compose_service ?? '?').bytes += v.bytes;
    const sorted = [...rows].sort((a, b) => b[1].bytes - a[1].bytes || b[1].lines - a[1].lines || a[0].localeCompare(b[0]));
    if (opts.output === 'jsonl') {
      write(sorted.map(([service, r]) => `${JSON.stringify({ service, lines: r.lines, bytes: r.bytes })}\n`).join(''));
      return;
    }
    const total = sorted.reduce((a, [, r]) => ({ lines: a.lines + r.lines, bytes: a.bytes + r.bytes }), { lines: 0, bytes: 0 });
    const table = [
      ['SERVICE', 'LINES', 'BYTES'],
      ...sorted.map(([s, r]) => [s, String(r.lines), bytes(r.bytes)]),
      ['total', String(total.lines), bytes(total.bytes)],
    ];
    const w = [0, 1, 2].map((i) => Math.max(...table.map((r) => r[i].length)));
    write(`Logs of project ${target.project} over the last ${formatDuration(seconds * 1000)}:\n`);
    write(table.map((r) => `${r[0].padEnd(w[0])}  ${r[1].padStart(w[1])}  ${r[2].padStart(w[2])}`).join('\n') + '\n');
  });

async function connect(opts: CommonOptions): Promise<{ target: LogTarget; client: LokiClient; range: TimeRange; L: Awaited<ReturnType<typeof lib>> }> {
  const range = timeRange(opts);
  const L = await lib();
  const app = await L.loadApp(L.stackFileFor(opts.stack), L.parseContext(opts.context ?? []));
  const target = L.logTargetOf(app);
  const url = opts.loki ?? process.env.LOKI_ADDR ?? target.lokiUrl;
  if (!url) {
    throw new UserError(
      target.lokiPath
        ? `the stack's Loki (${target.lokiPath}) does not publish its port on this host: give its URL with --loki`
        : "the stack has no Loki: add Logging to it (new Logging(stack, 'logging')), or give a Loki's URL with --loki",
    );
  }
  const client = new LokiClient({
    url,
    ...retrySettings(process.env),
    onRetry: (m) => process.stderr.write(`aixcl-logs: ${m}\n`),
  });
  return { target, client, range, L };
}

async function runQuery(services: string[], opts: QueryOptions): Promise<void> {
  if (opts.follow && opts.to !== undefined) throw new UserError('--follow keeps reading new lines, so it cannot end at --to: drop one of them');
  if (opts.delayFor !== undefined && (opts.delayFor > 5 || !opts.follow)) {
    throw new UserError('--delay-for is for --follow and Loki takes at most 5 seconds (pkg/loghttp/tail.go): give 0 to 5 with --follow');
  }
  const { target, client, range, L } = await connect(opts);
  refuseMistypedCommand(services, target.services);
  const query = L.buildLogQuery({ services, grep: opts.grep, level: opts.level, query: opts.query }, target);
  const printer = new LogPrinter({
    mode: opts.output,
    colour: opts.output === 'default' && useColour(process.stdout),
    timestamps: opts.timestamps,
    services: services.length ? services : target.services,
  });
  const limit = opts.limit ?? (opts.follow ? 100 : 1000);
  const history = (await client.queryRange({ query, start: range.start, end: range.end, limit, direction: 'backward' })).reverse();
  const cursor = new L.TailCursor();
  let text = '';
  for (const e of history) {
    cursor.accept(e);
    text += printer.format(e);
  }
  write(text);
  if (!opts.follow) {
    if (history.length === limit) {
      process.stderr.write(`aixcl-logs: showing the newest ${limit} lines of the range; --limit or a shorter --since/--from shows others\n`);
    }
    return;
  }
  const ac = new AbortController();
  stopOnInterrupt = () => ac.abort();
  await L.follow({
    client,
    query,
    cursor,
    startIfEmpty: range.end,
    print: (e: LogEntry) => write(printer.format(e)),
    notice: (m) => process.stderr.write(`aixcl-logs: ${m}\n`),
    signal: ac.signal,
    delayFor: opts.delayFor,
  });
}

/**
 * `aixcl-logs lables`: a word that is not a service of the stack but nearly a command is a mistyped
 * command, not a service to query (a service named so is taken as the service).
 */
function refuseMistypedCommand(services: readonly string[], known: readonly string[] | undefined): void {
  const [word] = services;
  if (word === undefined || known?.includes(word)) return;
  const near = nearestCommand(program, word);
  if (near) throw new UserError(`'${word}' is neither a service of the stack nor a command: did you mean 'aixcl-logs ${near}'? (aixcl-logs --help)`);
}

/** LOKI_CLIENT_RETRIES and LOKI_CLIENT_MIN_BACKOFF (seconds, fractions allowed), named as Loki's logcli names them. */
function retrySettings(env: NodeJS.ProcessEnv): { retries?: number; backoffMs?: number } {
  const out: { retries?: number; backoffMs?: number } = {};
  if (env.LOKI_CLIENT_RETRIES !== undefined) {
    if (!/^\d+$/.test(env.LOKI_CLIENT_RETRIES)) throw new UserError(`LOKI_CLIENT_RETRIES must be a whole number (got '${env.LOKI_CLIENT_RETRIES}')`);
    out.retries = Number(env.LOKI_CLIENT_RETRIES);
  }
  if (env.LOKI_CLIENT_MIN_BACKOFF !== undefined) {
    const s = Number(env.LOKI_CLIENT_MIN_BACKOFF);
    if (!Number.isFinite(s) || s < 0) throw new UserError(`LOKI_CLIENT_MIN_BACKOFF must be seconds, e.g. 0.5 (got '${env.LOKI_CLIENT_MIN_BACKOFF}')`);
    out.backoffMs = s * 1000;
  }
  return out;
}

function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${n.toFixed(1)} ${units[i]}`;
}

function write(text: string): void {
  if (text) process.stdout.write(text);
}

/** Ctrl-C: a follow stops cleanly (exit 0); anything else stops at once (130). */
let stopOnInterrupt: (() => void) | undefined;
process.on('SIGINT', () => {
  if (stopOnInterrupt) {
    const stop = stopOnInterrupt;
    stopOnInterrupt = () => process.exit(ExitCode.INTERRUPTED);
    stop();
  } else {
    process.exit(ExitCode.INTERRUPTED);
  }
});

// A reader that goes away (`aixcl-logs | head`) is not an error: stop quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(ExitCode.OK);
  throw e;
});

/** Runs the CLI; resolves to the exit code (nothing is thrown). */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await program.parseAsync([...argv]);
    return ExitCode.OK;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? ExitCode.OK : ExitCode.USER_ERROR;
    if (LokiError.isLokiError(e)) {
      process.stderr.write(`error: ${e.message}\n`);
      return e.failure === LokiFailure.UNREACHABLE ? ExitCode.DAEMON_UNREACHABLE : e.failure === LokiFailure.FAILED ? ExitCode.FAILED : ExitCode.USER_ERROR;
    }
    if (UserError.isUserError(e)) {
      process.stderr.write(`error: ${e.message.trimEnd()}\n`);
      return ExitCode.USER_ERROR;
    }
    process.stderr.write(`internal error (please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return ExitCode.INTERNAL_ERROR;
  }
}

process.exitCode = await main(process.argv);
