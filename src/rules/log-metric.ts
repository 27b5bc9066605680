import { z } from 'zod';
import { Service } from '../compose/service.js';
import { Duration } from '../core/duration.js';
import { UserError } from '../core/errors.js';
import { enumOf, instanceOf, parseProps, propsSchema } from '../core/props.js';
import { durationValue } from '../core/value-schemas.js';
import { Stack } from '../core/stack.js';
import { logqlString, streamSelector } from '../grafana/logql.js';
import { LEVEL_FIELD, LogLevel, levelFilter } from '../log-format/log-level.js';
import { toPrometheusDuration } from '../prometheus/prometheus-duration.js';

const LOG_METRIC = Symbol.for('aixcl-cdk.LogMetric');

/** A compose service, or a construct that has one (`Postgres`, `Loki`, ...). */
export type ServiceRef = Service | { readonly service: Service };

/** The compose service a {@link ServiceRef} stands for. */
export function serviceOf(ref: ServiceRef): Service {
  if (Service.isService(ref)) return ref;
  const s = (ref as { service?: unknown } | undefined)?.service;
  if (Service.isService(s)) return s;
  // Thrown, not recorded: the caller uses the Service at once and there is no construct to record on.
  // The library calls it only on a reference its props schema accepted (LogMetric.typed) or on a rule
  // that is no stand-in (MetricAlertRule), so a wrong reference is reported there, once, instead.
  throw new UserError(`expected a Service (or a construct with a 'service'), got ${describe(ref)}: pass the construct, not its name`);
}

/** The labels that every typed log metric keeps: they name the service in alerts and recorded series. */
export const SERVICE_GROUPING = ['compose_project', 'compose_service'] as const;

/**
 * Which lines a {@link LogMetric} counts: those of one service, or those of
 * every service of a project (then counted per service).
 */
export interface LogSelection {
  /**
   * The service whose own log streams are counted (selected by its compose
   * project and service name). Give this or `project`.
   * @default none
   */
  readonly service?: ServiceRef;
  /**
   * Count the lines of every service of this Compose project (a stack, or a
   * project name), per service. Give this or `service`.
   * @default none
   */
  readonly project?: Stack | string;
  /**
   * Count only lines of these normalized levels (the level the collector's
   * pipeline gives each line).
   * @default every level
   */
  readonly levels?: readonly LogLevel[];
  /**
   * Count only lines matching this RE2 regex (a `|~` line filter). Refused on
   * the logs of Loki and Grafana, which contain the text of the queries they
   * run, this rule's included.
   * @default no pattern
   */
  readonly pattern?: string;
  /**
   * Count each level apart (the result keeps the `level` field), e.g. for a
   * recording rule that dashboards split by level.
   * @default false
   */
  readonly perLevel?: boolean;
  /**
   * The range each evaluation looks back over.
   * @default Duration.minutes(5)
   */
  readonly window?: Duration;
}

/** How a {@link LogMetric} was made. */
export type LogMetricSource =
  | {
      readonly kind: 'typed';
      /** The one service selected, if the selection is of one service. */
      readonly service?: Service;
      readonly project: string;
      readonly selection: LogSelection;
    }
  | { readonly kind: 'raw' };

/**
 * A LogQL metric expression: built from typed parts (a service, levels or a
 * pattern, a window), so it can only select that service's own streams, or
 * given raw and checked when the rule is synthesized (it must parse, be a
 * metric query, and select only labels the collector produces).
 */
export class LogMetric {
  /** True for log metrics, across copies of this library. */
  public static isLogMetric(x: unknown): x is LogMetric {
    return typeof x === 'object' && x !== null && LOG_METRIC in x;
  }

  /**
   * Lines per window, per service: `sum by (compose_project, compose_service) (count_over_time(... [window]))`.
   */
  public static count(selection: LogSelection): LogMetric {
    return LogMetric.typed('count_over_time', selection);
  }

  /**
   * Lines per second, per service, averaged over the window:
   * `sum by (compose_project, compose_service) (rate(... [window]))`.
   */
  public static rate(selection: LogSelection): LogMetric {
    return LogMetric.typed('rate', selection);
  }

  /** A LogQL metric query written by hand (checked at synthesis). */
  public static raw(expr: string): LogMetric {
    if (typeof expr !== 'string')
      return new LogMetric('', { kind: 'raw' }, undefined, [
        `LogMetric.raw needs a LogQL string, got ${describe(expr)}: write LogMetric.raw('sum(rate({compose_service="api"} | level="error" [5m]))')`,
      ]);
    return new LogMetric(expr, { kind: 'raw' }, undefined, []);
  }

  private static typed(fn: 'count_over_time' | 'rate', raw: LogSelection): LogMetric {
    const checked = parseProps(logSelectionSchema, raw, { owner: `LogMetric.${fn === 'rate' ? 'rate' : 'count'}` });
    const selection = checked.props;
    const problems = [...checked.problems];
    if ((selection.service === undefined) === (selection.project === undefined)) {
      problems.push(`a log metric counts the lines of one service or of one project: give either 'service' (e.g. postgres) or 'project' (the stack)`);
    }
    if (problems.length) return new LogMetric('', { kind: 'typed', project: '', selection }, undefined, problems);
    const service = selection.service === undefined ? undefined : serviceOf(selection.service);
    const project = service ? service.stack.projectName : Stack.isStack(selection.project) ? selection.project.projectName : String(selection.project);
    const window = selection.window ?? Duration.minutes(5);
    const selector = streamSelector(service ? { compose_project: project, compose_service: service.serviceName } : { compose_project: project });
    const levels = levelFilter(...(selection.levels ?? []));
    const pattern = selection.pattern === undefined ? '' : ` |~ ${logqlString(selection.pattern)}`;
    const grouping = [...SERVICE_GROUPING, ...(selection.perLevel ? [LEVEL_FIELD] : [])];
    const expr = `sum by (${grouping.join(', ')}) (${fn}(${selector}${levels}${pattern} [${toPrometheusDuration(window)}]))`;
    return new LogMetric(expr, { kind: 'typed', service, project, selection }, window, []);
  }

  private constructor(
    /** The LogQL expression. */
    public readonly expr: string,
    /** How it was made. */
    public readonly source: LogMetricSource,
    /** The range of a typed metric. */
    public readonly window: Duration | undefined,
    /** What is wrong with the parts it was built from; the rule that uses it reports them with its path. */
    public readonly problems: readonly string[],
  ) {
    Object.defineProperty(this, LOG_METRIC, { value: true });
  }

  public toString(): string {
    return this.expr;
  }
}

function describe(x: unknown): string {
  if (typeof x === 'string') return `the string '${x}'`;
  if (x === null || x === undefined) return String(x);
  return typeof x === 'object' ? (x.constructor?.name ?? 'an object') : typeof x;
}

const isServiceRef = (v: unknown): v is ServiceRef =>
  Service.isService(v) || (typeof v === 'object' && v !== null && Service.isService((v as { service?: unknown }).service));

/** @internal The run-time check of a {@link ServiceRef}. */
export const serviceRefValue = instanceOf<ServiceRef>('a Service (or a construct that has one, such as Postgres)', isServiceRef, (v) =>
  typeof v === 'string'
    ? 'pass the construct itself (the object that `new Service(...)` or `new Postgres(...)` returned), not its name'
    : 'pass a Service of the stack',
);

/** The run-time schema of {@link LogSelection}. */
const logSelectionSchema = propsSchema<LogSelection>()(
  z.strictObject({
    service: serviceRefValue.optional(),
    project: z
      .union([
        instanceOf<Stack>(
          'a Stack',
          (v): v is Stack => Stack.isStack(v),
          () => 'pass the Stack, or its project name',
        ),
        z.string(),
      ])
      .optional(),
    levels: z
      .array(enumOf<LogLevel>('LogLevel', () => LogLevel))
      .readonly()
      .optional(),
    pattern: z.string().optional(),
    perLevel: z.boolean().optional(),
    window: durationValue.optional(),
  }),
);

/** @internal The run-time check of a {@link LogMetric} prop. */
export const logMetricValue = instanceOf<LogMetric>(
  'a LogMetric',
  (v): v is LogMetric => LogMetric.isLogMetric(v),
  (v) =>
    typeof v === 'string'
      ? `wrap a LogQL string in LogMetric.raw(...), or build it: LogMetric.count({ service, levels: [LogLevel.ERROR] })`
      : 'write LogMetric.count({ service, ... }), LogMetric.rate(...) or LogMetric.raw(...)',
);
