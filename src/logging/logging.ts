import { Construct } from 'constructs';
import { z } from 'zod';
import { checkProps, enumOf, propsSchema, recordProblem } from '../core/props.js';
import { Stack } from '../core/stack.js';
import { constructOf, durationValue } from '../core/value-schemas.js';
import { Datasource } from '../grafana/datasource-base.js';
import { Duration } from '../core/duration.js';
import { Grafana } from '../grafana/grafana.js';
import type { LogsDashboard } from '../grafana/logs-dashboard.js';
import type { LokiDatasource, PrometheusDatasource } from '../grafana/datasource.js';
import { Loki, LokiProps, lokiSchema } from '../loki/loki.js';
import { Promtail, PromtailProps, promtailSchema } from '../promtail/promtail.js';
import { Alloy, AlloyProps, alloySchema } from '../alloy/alloy.js';
import { CollectorKind, type LogCollector } from '../collector/log-collector.js';
import { checkedScope } from '../core/construct-args.js';

/** The run-time schema of {@link LoggingProps} (see core/props.ts). */
export const loggingSchema = propsSchema<LoggingProps>()(
  z.strictObject({
    retention: durationValue.optional(),
    loki: lokiSchema.omit({ retention: true }).optional(),
    collector: enumOf<CollectorKind>('CollectorKind', () => CollectorKind).optional(),
    alloy: alloySchema.omit({ loki: true }).optional(),
    promtail: promtailSchema.omit({ loki: true }).optional(),
    grafana: constructOf('Grafana', Grafana.isGrafana).optional(),
    metrics: constructOf(
      'PrometheusDatasource',
      (x): x is PrometheusDatasource => Datasource.isDatasource(x) && (x as Datasource).type === 'prometheus',
    ).optional(),
  }),
);

/** Props of {@link Logging}. */
export interface LoggingProps {
  /**
   * How long logs are kept (Loki's compactor deletes older ones).
   * @default Duration.days(7)
   */
  readonly retention?: Duration;
  /** Settings of the Loki service. @default LokiProps defaults */
  readonly loki?: Omit<LokiProps, 'retention'>;
  /**
   * The program that collects the logs. Grafana Alloy is Promtail's successor and the default;
   * Promtail is end-of-life (3.6.x is its last line) and stays for the stacks that have it.
   * @default CollectorKind.PROMTAIL when `promtail` settings are given, else CollectorKind.ALLOY
   */
  readonly collector?: CollectorKind;
  /** Settings of the Alloy service. @default AlloyProps defaults (collects this stack's project, OTLP on) */
  readonly alloy?: Omit<AlloyProps, 'loki'>;
  /** Settings of the Promtail service, when it is the collector. @default PromtailProps defaults */
  readonly promtail?: Omit<PromtailProps, 'loki'>;
  /** The Grafana to provision with the Loki datasource and the logs dashboard. @default a new Grafana */
  readonly grafana?: Grafana;
  /**
   * A Prometheus datasource of the same Grafana: log lines link to the
   * metrics of their container through it (a derived field).
   * @default no link to metrics
   */
  readonly metrics?: PrometheusDatasource;
}

const LOGGING = Symbol.for('aixcl-cdk.Logging');

/**
 * Centralized logs for a stack: Loki stores them, a collector (Grafana Alloy,
 * or Promtail for the stacks that have it) collects every container of the
 * project through the Docker socket, and Grafana gets the Loki datasource and
 * the logs dashboard. All wired by typed references.
 */
export class Logging extends Construct {
  public readonly loki: Loki;
  /** The collector, whichever program it is. */
  public readonly collector: LogCollector;
  /** The collector when it is Alloy. */
  public readonly alloy?: Alloy;
  /** The collector when it is Promtail. */
  public readonly promtail?: Promtail;
  public readonly grafana: Grafana;
  public readonly datasource: LokiDatasource;
  public readonly dashboard: LogsDashboard;

  /** True for Logging constructs, across copies of this library. */
  public static isLogging(x: unknown): x is Logging {
    return typeof x === 'object' && x !== null && LOGGING in x;
  }

  constructor(scope: Construct, id: string, props: LoggingProps = {}) {
    super(checkedScope('Logging', scope, id), id);
    Object.defineProperty(this, LOGGING, { value: true });
    props = checkProps(this, loggingSchema, props, { owner: 'Logging' });
    // A second one would make a second Loki, Promtail and Grafana with the same service, volume and
    // file names and ports: one mistake, reported once. It stands in with the first one's parts.
    const first = Stack.of(this)
      .node.findAll()
      .find((c): c is Logging => Logging.isLogging(c) && c !== this);
    if (first) {
      recordProblem(
        this,
        `a stack takes one Logging: ${first.node.path} already collects its logs; use that one (its loki, collector, grafana, datasource and dashboard), or put this one in another stack`,
      );
      this.loki = first.loki;
      this.collector = first.collector;
      this.alloy = first.alloy;
      this.promtail = first.promtail;
      this.grafana = first.grafana;
      this.datasource = first.datasource;
      this.dashboard = first.dashboard;
      return;
    }
    this.loki = new Loki(this, 'loki', { ...props.loki, retention: props.retention });
    const kind = props.collector ?? (props.promtail && !props.alloy ? CollectorKind.PROMTAIL : CollectorKind.ALLOY);
    const other = kind === CollectorKind.ALLOY ? 'promtail' : 'alloy';
    if (props[other]) {
      recordProblem(
        this,
        `${other} settings are given, but the collector is ${kind === CollectorKind.ALLOY ? 'Alloy' : 'Promtail'}: give the settings of the collector you use (${kind}: {...}), or collector: CollectorKind.${other.toUpperCase()}`,
      );
    }
    if (kind === CollectorKind.PROMTAIL) this.collector = this.promtail = new Promtail(this, 'promtail', { ...props.promtail, loki: this.loki });
    else this.collector = this.alloy = new Alloy(this, 'alloy', { ...props.alloy, loki: this.loki });
    this.grafana = props.grafana ?? new Grafana(this, 'grafana');
    this.datasource = this.grafana.addLokiDatasource({ loki: this.loki, metrics: props.metrics });
    this.dashboard = this.grafana.addLogsDashboard({ datasource: this.datasource, project: this.collector.project });
  }
}
