import { z } from 'zod';
import { instanceOf, parseProps, propsSchema, recordProblem } from '../core/props.js';
import type { Construct } from 'constructs';
import type { AlertmanagerDatasourceProps } from './alertmanager-datasource.js';
import type { ContainerMetricsDashboardProps, RecordedLogLines } from './container-metrics-dashboard.js';
import { Dashboard } from './dashboard.js';
import { Datasource, HttpBackend } from './datasource-base.js';
import type { LogsDashboard, LogsDashboardProps } from './logs-dashboard.js';
import type { LokiDatasource, LokiDatasourceProps } from './loki-datasource.js';
import type { PrometheusDatasource, PrometheusDatasourceProps } from './prometheus-datasource.js';

/*
 * Run-time schemas of the props of Grafana's datasources and dashboards (see core/props.ts).
 */

/** A construct with a compose service and a URL (a Loki, a Prometheus). */
function backend<T extends HttpBackend>(what: string): z.ZodType<T, T> {
  const a = /^[AEIOU]/.test(what) ? 'an' : 'a'; // an Alertmanager
  return instanceOf<T>(
    `${a} ${what}`,
    (v): v is T => typeof v === 'object' && v !== null && 'node' in v && 'service' in v && typeof (v as { url?: unknown }).url === 'string',
    (v) =>
      typeof v === 'string'
        ? `pass the ${what} construct itself (the object that \`new ${what}(...)\` returned), not its name or URL`
        : `pass ${a} ${what} construct`,
  );
}

function datasourceOf<T extends Datasource>(type: 'loki' | 'prometheus', what: string, how: string): z.ZodType<T, T> {
  return instanceOf<T>(
    `a ${what}`,
    (v): v is T => Datasource.isDatasource(v) && v.type === type,
    (v) => (typeof v === 'string' ? `pass the datasource object that ${how} returned, not its uid or name` : `pass the object that ${how} returned`),
  );
}

const uid = z.string();

export const lokiDatasourceSchema = propsSchema<LokiDatasourceProps>()(
  z.strictObject({
    loki: backend('Loki'),
    uid: uid.optional(),
    name: z.string().optional(),
    metrics: datasourceOf<PrometheusDatasource>('prometheus', 'PrometheusDatasource', 'grafana.addPrometheusDatasource()').optional(),
    maxLines: z.number().int().min(1).optional(),
  }),
);

export const alertmanagerDatasourceSchema = propsSchema<AlertmanagerDatasourceProps>()(
  z.strictObject({ alertmanager: backend('Alertmanager'), uid: uid.optional(), name: z.string().optional() }),
);

export const prometheusDatasourceSchema = propsSchema<PrometheusDatasourceProps>()(
  z.strictObject({ prometheus: backend('Prometheus'), uid: uid.optional(), name: z.string().optional(), isDefault: z.boolean().optional() }),
);

export const logsDashboardSchema = propsSchema<LogsDashboardProps>()(
  z.strictObject({
    datasource: datasourceOf<LokiDatasource>('loki', 'LokiDatasource', 'grafana.addLokiDatasource()'),
    project: z.string().optional(),
    uid: uid.optional(),
    title: z.string().optional(),
  }),
);

export const containerMetricsDashboardSchema = propsSchema<ContainerMetricsDashboardProps>()(
  z.strictObject({
    datasource: datasourceOf<PrometheusDatasource>('prometheus', 'PrometheusDatasource', 'grafana.addPrometheusDatasource()'),
    logs: instanceOf<LogsDashboard>(
      'a LogsDashboard',
      (v): v is LogsDashboard => Dashboard.isDashboard(v),
      () => 'pass the object that grafana.addLogsDashboard() returned',
    ).optional(),
    logLines: instanceOf<RecordedLogLines>(
      'a recording rule',
      (v): v is RecordedLogLines => typeof v === 'object' && v !== null && typeof (v as { record?: unknown }).record === 'string',
      () => 'pass the LogRecordingRule that ruleGroup.addRecording(...) returned (of LogMetric.rate({ project, perLevel: true }))',
    ).optional(),
    uid: uid.optional(),
    title: z.string().optional(),
  }),
);

/**
 * Checks the props of one of Grafana's `add...` methods and records each problem on the Grafana, so
 * that synthesis reports it with every other problem of the stack (exit 2, nothing written). A prop
 * with a problem is left out: an optional one takes its default; without its required reference (the
 * Loki of a datasource, say) the method makes a stand-in, which refers to nothing and checks nothing
 * (see each constructor), so that the program goes on and no problem follows from the one recorded.
 */
export function checkMethodProps<T>(grafana: Construct, method: string, schema: z.ZodType<unknown, T>, raw: unknown): T {
  const checked = parseProps(schema, raw, { owner: `${method}()` });
  checked.problems.forEach((p) => recordProblem(grafana, `${method}(): ${p}`));
  return checked.props;
}
