import { UserError } from '../core/errors.js';

/** Why a request to Loki failed; decides the exit code. */
export enum LokiFailure {
  /** Nothing answered at the URL (connection refused, unknown host, timeout). */
  UNREACHABLE = 'unreachable',
  /** Loki refused the request (a limit, the query, the credentials): the user can fix it. */
  REFUSED = 'refused',
  /** Loki failed (5xx, or still busy after the retries). */
  FAILED = 'failed',
}

/** A failure talking to Loki, in one sentence with the next step. */
export class LokiError extends UserError {
  constructor(
    message: string,
    public readonly failure: LokiFailure,
    public readonly status?: number,
  ) {
    super(message);
    this.name = 'LokiError';
  }

  public static isLokiError(e: unknown): e is LokiError {
    return UserError.isUserError(e) && typeof (e as { failure?: unknown }).failure === 'string';
  }
}

// Loki's own messages, from pkg/util/validation/validate.go (ErrQueryTooLong,
// ErrQueryTooOld, ErrMaxEntriesLimit), pkg/querier/tail/querier.go (tail
// limit) and dskit's tenant resolver ("no org id"); its errors are plain text
// (pkg/util/server/error.go WriteError).
const TOO_LONG = /the query time range exceeds the limit \(query length: ([^,]+), limit: ([^)]+)\)/;
const TOO_OLD = /it is past now - max_query_lookback \(([^)]+)\)/;
const MAX_ENTRIES = /max entries limit per query exceeded, limit > max_entries_limit_per_query \((\d+) > (\d+)\)/;
const MAX_TAILS = /max concurrent tail requests limit exceeded, count > limit \((\d+) > (\d+)\)/;
const REGEXP = /error parsing regexp: (.*)/;

/**
 * Translates an error answer of Loki into one sentence that says what to do.
 * @param body Loki's (plain text) error body
 */
export function translateLokiError(status: number, body: string, url: string): LokiError {
  const text = body.trim().replace(/\s+/g, ' ').slice(0, 300);
  let m: RegExpExecArray | null;
  if ((m = TOO_LONG.exec(text))) {
    return new LokiError(
      `the time range (${m[1]}) is longer than Loki allows (${m[2]}, limits_config.max_query_length): use a shorter --since, or --from/--to`,
      LokiFailure.REFUSED,
      status,
    );
  }
  if ((m = TOO_OLD.exec(text))) {
    return new LokiError(
      `the whole range is older than Loki keeps (max_query_lookback ${m[1]}, the retention): choose a more recent --from or --since`,
      LokiFailure.REFUSED,
      status,
    );
  }
  if ((m = MAX_ENTRIES.exec(text))) {
    return new LokiError(
      `Loki returns at most ${m[2]} lines per query (limits_config.max_entries_limit_per_query) and --limit asked for ${m[1]}: use --limit ${m[2]} or less and narrow the range`,
      LokiFailure.REFUSED,
      status,
    );
  }
  if ((m = MAX_TAILS.exec(text))) {
    return new LokiError(
      `Loki already serves ${Number(m[1]) - 1} live tails, its limit (limits_config.max_concurrent_tail_requests = ${m[2]}): stop another aixcl-logs --follow or Grafana's Live view`,
      LokiFailure.REFUSED,
      status,
    );
  }
  if ((m = REGEXP.exec(text))) {
    return new LokiError(`Loki could not compile a regex of the query (Go RE2): ${m[1]}: fix --grep or the query`, LokiFailure.REFUSED, status);
  }
  if (status === 401 && /no org id/i.test(text)) {
    return new LokiError('this Loki is multi-tenant and needs a tenant: set LOKI_ORG_ID (sent as the X-Scope-OrgID header)', LokiFailure.REFUSED, status);
  }
  if (status === 401 || status === 403) {
    return new LokiError(
      `Loki at ${url} refused the credentials (${status}): set LOKI_USERNAME and LOKI_PASSWORD (basic auth) or LOKI_BEARER_TOKEN`,
      LokiFailure.REFUSED,
      status,
    );
  }
  if (status === 404) {
    return new LokiError(`${url} answered 404: this is not a Loki (or too old a Loki for this endpoint): check --loki`, LokiFailure.REFUSED, status);
  }
  if (status === 429) {
    return new LokiError(
      `Loki is still too busy after several retries (429 ${text || 'too many requests'}): shorten the range (--since), or try again in a moment`,
      LokiFailure.FAILED,
      status,
    );
  }
  if (status >= 400 && status < 500) {
    return new LokiError(`Loki rejected the request (${status}): ${text || 'no reason given'}`, LokiFailure.REFUSED, status);
  }
  return new LokiError(
    `Loki failed (${status}${text ? `: ${text}` : ''}): look at Loki's own log (aixcl-deploy status, then docker logs of the Loki container)`,
    LokiFailure.FAILED,
    status,
  );
}

/** A network failure as one sentence (exit as "unreachable"). */
export function unreachable(url: string, cause: unknown): LokiError {
  const c = (cause as { cause?: { code?: string; message?: string } })?.cause ?? (cause as { code?: string; message?: string });
  const why = c?.code ?? c?.message ?? String(cause);
  return new LokiError(
    `cannot reach Loki at ${url} (${why}): is the stack up? \`aixcl-deploy status\` shows it (or give the right --loki URL)`,
    LokiFailure.UNREACHABLE,
  );
}
