import type { IConstruct } from 'constructs';
import type { Service } from '../compose/service.js';
import type { ProducedLabels } from './produced-labels.js';

/** Which program collects the logs. */
export enum CollectorKind {
  /** Grafana Alloy: Promtail's successor, with OTLP intake. The default of new stacks. */
  ALLOY = 'alloy',
  /** Promtail: end-of-life since 2026-03-02; 3.6.x is its last line. For stacks that have it. */
  PROMTAIL = 'promtail',
}

/** The PromQL over a collector's own metrics that the collector alerts are written with. */
export interface CollectorMetrics {
  /** Push attempts that did not get a 2xx from Loki, per second over 5m, summed (`> 0` fires). */
  pushFailuresRate(jobMatcher: string): string;
  /** Entries given up on after the retries, over 10m, summed (`> 0` fires). */
  droppedEntriesIncrease(jobMatcher: string): string;
}

/**
 * What every consumer of a log collector needs, whichever program it is (Promtail or Alloy): Loki's
 * label list, the label-flow checks, the dashboards, the rules, `aixcl-logs` and Swarm's global
 * service read these, never the program's own configuration format.
 */
export interface LogCollector extends IConstruct {
  /** Which program this is. */
  readonly kind: CollectorKind;
  /** The collector's compose service. */
  readonly service: Service;
  /** Port of its HTTP server (readiness, `/metrics`). */
  readonly port: number;
  /** The Compose project whose containers it collects. */
  readonly project: string;
  /** The stream label that holds the project (`compose_project`). */
  readonly projectLabel: string;
  /** The stream labels and structured metadata it pushes, read from its final configuration. */
  readonly producedLabels: ProducedLabels;
  /** Its own metrics, for the collector alerts. */
  readonly metrics: CollectorMetrics;
}

const LOG_COLLECTOR = Symbol.for('aixcl-cdk.LogCollector');

/** Marks a construct as a log collector (called by each collector's constructor). */
export function markLogCollector(c: LogCollector): void {
  Object.defineProperty(c, LOG_COLLECTOR, { value: true });
}

/** True for log collectors (Promtail, Alloy), across copies of this library. */
export function isLogCollector(x: unknown): x is LogCollector {
  return typeof x === 'object' && x !== null && LOG_COLLECTOR in x;
}
