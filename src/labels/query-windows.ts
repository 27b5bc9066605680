import { parser as logqlParser } from '@grafana/lezer-logql';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';
import { Duration } from '../core/duration.js';
import { parsePrometheusDuration, toPrometheusDuration } from '../prometheus/prometheus-duration.js';
import { scrapeIntervalOf, type AppliedInterval, type PrometheusValueSource } from './prometheus-label-values.js';

export type { AppliedInterval };

/*
 * Windows and intervals a rule cannot fill. Loki's ruler and Prometheus
 * evaluate a group every `interval` (the group's, else the global one):
 * - a log count or rate over a window shorter than that skips the lines
 *   logged between two evaluations (each evaluation looks back only over its
 *   window);
 * - PromQL's rate(), irate() and increase() need two samples in the range
 *   (promql/functions.go extrapolatedRate, instantValue: "fewer than two
 *   samples" gives no result), so a range under two scrape intervals of the
 *   series returns nothing;
 * - an alert's `for` is checked at evaluations only (rules/alerting.go Eval:
 *   pending until activeAt + holdDuration <= ts): a `for` under one interval
 *   fires at the second evaluation, as `for: <interval>` would.
 */

/** The ranges (`[5m]`) of a LogQL expression, in milliseconds; those that are not durations are left out. */
export function logqlRanges(expr: string): number[] {
  const out: number[] = [];
  const tree = logqlParser.parse(expr);
  tree.iterate({
    enter: (n) => {
      if (n.name !== 'Range') return undefined;
      const d = n.node.getChild('Duration');
      const ms = d ? durationMs(expr.slice(d.from, d.to)) : undefined;
      if (ms !== undefined) out.push(ms);
      return false;
    },
  });
  return out;
}

/** A rate-like call over a range of samples in PromQL. */
export interface PromRange {
  readonly fn: string;
  /** The metric name, if written. */
  readonly metric?: string;
  /** The job an `=` matcher pins, if any. */
  readonly job?: string;
  readonly rangeMs: number;
}

/** Functions that need two samples in their range (promql/functions.go). */
const TWO_SAMPLE_FUNCTIONS = ['rate', 'irate', 'increase', 'delta', 'idelta', 'deriv'];

/** Each rate(), irate(), increase(), ... over a selector with a fixed range. */
export function promqlRanges(expr: string): PromRange[] {
  const out: PromRange[] = [];
  const tree = promqlParser.parse(expr);
  const text = (n: { from: number; to: number }) => expr.slice(n.from, n.to);
  tree.iterate({
    enter: (ref) => {
      if (ref.name !== 'FunctionCall') return undefined;
      const id = ref.node.getChild('FunctionIdentifier');
      if (!id || !TWO_SAMPLE_FUNCTIONS.includes(text(id))) return undefined;
      const matrix = ref.node.getChild('FunctionCallBody')?.getChild('MatrixSelector');
      const sel = matrix?.getChild('VectorSelector');
      const dur = matrix?.getChild('DurationExpr');
      const rangeMs = dur ? durationMs(text(dur)) : undefined;
      if (!sel || rangeMs === undefined) return undefined;
      const metricNode = sel.getChild('Identifier');
      let job: string | undefined;
      for (const m of sel.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? []) {
        const name = m.getChild('LabelName');
        const value = m.getChild('StringLiteral');
        if (name && text(name) === 'job' && m.getChild('MatchOp')?.getChild('EqlSingle') && value) {
          try {
            job = JSON.parse(text(value).replace(/^'|'$/g, '"')) as string;
          } catch {
            // a string with Go escapes JSON does not know: the job is not pinned
          }
        }
      }
      out.push({ fn: text(id), metric: metricNode ? text(metricNode) : undefined, job, rangeMs });
      return undefined;
    },
  });
  return out;
}

/** A log metric's window under its group's interval. */
export function logWindowProblem(windowMs: number, applied: AppliedInterval): string | undefined {
  if (windowMs >= applied.interval.milliseconds) return undefined;
  const i = toPrometheusDuration(applied.interval);
  return (
    `counts lines over ${toPrometheusDuration(Duration.millis(windowMs))}, less than the evaluation interval of ${i} (${applied.source}): ` +
    `the lines logged between two evaluations are never counted; use a window of at least ${i}`
  );
}

/** An alert's `for` under its group's interval (0 means fire at once: a choice). */
export function forProblem(forDuration: Duration, applied: AppliedInterval): string | undefined {
  const f = forDuration.milliseconds;
  if (f === 0 || f >= applied.interval.milliseconds) return undefined;
  const i = toPrometheusDuration(applied.interval);
  return (
    `for: ${toPrometheusDuration(forDuration)} is less than the evaluation interval of ${i} (${applied.source}): the condition is only checked every ${i}, ` +
    `so the alert fires at the second evaluation that finds it, as with for: ${i}; write for: ${i} or more (Duration.seconds(0) fires at the first)`
  );
}

/** A rate()/increase() range under two scrape intervals of its series. */
export function promRangeProblem(r: PromRange, scrape: AppliedInterval): string | undefined {
  const least = 2 * scrape.interval.milliseconds;
  if (r.rangeMs >= least) return undefined;
  const of = `${r.fn}(${r.metric ?? ''}[${toPrometheusDuration(Duration.millis(r.rangeMs))}])`;
  return (
    `${of} covers less than two scrapes of its series (scraped every ${toPrometheusDuration(scrape.interval)}, ${scrape.source}), so it returns nothing: ` +
    `${r.fn}() needs two samples in its range; use a range of at least ${toPrometheusDuration(Duration.millis(least))} (four scrape intervals, ${toPrometheusDuration(Duration.millis(2 * least))}, survive a missed scrape)`
  );
}

/**
 * Each rate()/increase()/... of a PromQL expression over less than two scrapes of the series it
 * selects, where the interval is known (see scrapeIntervalOf). A recorded series (a name with ':')
 * is written at its rule's interval, not scraped: not judged.
 */
export function scrapeRangeProblems(expr: string, prometheus: PrometheusValueSource | undefined): string[] {
  const problems: string[] = [];
  for (const r of promqlRanges(expr)) {
    const scrape = r.metric?.includes(':') ? undefined : scrapeIntervalOf(prometheus, r.job);
    const p = scrape && promRangeProblem(r, scrape);
    if (p) problems.push(p);
  }
  return problems;
}

function durationMs(text: string): number | undefined {
  try {
    return parsePrometheusDuration(text);
  } catch {
    return undefined;
  }
}
