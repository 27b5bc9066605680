import type { IConstruct } from 'constructs';
import { Stack } from '../core/stack.js';
import { logLabelValues, type LogValueSource } from './log-label-values.js';
import { prometheusValues, type PrometheusValueSource } from './prometheus-label-values.js';
import type { KnownValues } from './value-match.js';
import { TARGET_LABELS } from '../prometheus/metric-catalog.js';

/**
 * The labels one alert of the tree carries: its rule's labels (fixed values, `severity`,
 * `compose_project`, `compose_service` among them), `alertname`, and those its expression
 * keeps (`sum by (...)`), with their values where the tree knows them.
 */
export interface AlertLabels {
  /** Path of the rule. */
  readonly rule: string;
  /** Each label the alert carries, with its values (undefined: any value). */
  readonly labels: ReadonlyMap<string, KnownValues | undefined>;
  /** True when the expression may keep labels that cannot be listed (no aggregation, `without`, a set operator). */
  readonly open: boolean;
}

/** A rule construct as read here (structurally: LogAlertRule and MetricAlertRule). */
interface AlertRuleLike extends IConstruct {
  readonly alertName: string;
  readonly _standIn?: boolean;
  _toDocument(): Record<string, unknown>;
}

function isAlertRule(c: IConstruct): c is AlertRuleLike {
  const r = c as Partial<AlertRuleLike>;
  return typeof r.alertName === 'string' && typeof r._toDocument === 'function';
}

/** Aggregations whose `by (...)` lists every label they keep (PromQL and LogQL alike). */
const AGGREGATION = /^\s*(sum|avg|min|max|count|group|stddev|stdvar|topk|bottomk|quantile|count_values)\s*(by\s*\(([^)]*)\))?\s*\(/;

/**
 * The labels an expression's result keeps: those of its outermost `by (...)` (none for an
 * aggregation without grouping), or undefined when they cannot be listed.
 */
export function keptLabels(expr: string): string[] | undefined {
  // A set operator or vector matching may bring in series of another shape (strings set aside).
  const bare = expr.replace(/"(?:[^"\\]|\\.)*"|`[^`]*`/g, '""');
  if (/\b(or|unless|and)\b|\b(on|ignoring|group_left|group_right)\s*\(/.test(bare)) return undefined;
  const m = AGGREGATION.exec(expr);
  if (!m) return undefined;
  if (['topk', 'bottomk', 'count_values', 'quantile'].includes(m[1])) return undefined;
  return m[3] === undefined
    ? []
    : m[3]
        .split(',')
        .map((l) => l.trim())
        .filter(Boolean);
}

/**
 * `up{...} == 0`: Prometheus makes `up` for each target with the target's labels only, `job` and
 * `instance` when no job adds static labels (docs/concepts/jobs_instances.md).
 */
const UP_COMPARISON = /^\s*up\s*(\{[^}]*\})?\s*(==|!=|<=|>=|<|>)\s*[\d.]+\s*$/;

function hasStaticLabels(prometheus: PrometheusValueSource): boolean {
  let doc: unknown;
  try {
    doc = prometheus.config?.uncheckedDocument?.();
  } catch {
    return true; // the file reports its own problem; nothing known
  }
  const configs = (doc as { scrape_configs?: unknown[] } | undefined)?.scrape_configs ?? [];
  // A target label from a static config, a relabel rule or the target itself (honor_labels) is on `up` too.
  return configs.some((c) => {
    const sc = (c ?? {}) as { static_configs?: Array<{ labels?: object }>; relabel_configs?: unknown[]; honor_labels?: boolean };
    return (
      sc.honor_labels === true ||
      (sc.relabel_configs?.length ?? 0) > 0 ||
      (sc.static_configs ?? []).some((s) => s?.labels && Object.keys(s.labels).length > 0) ||
      !sc.static_configs
    );
  });
}

/**
 * Every alert rule of the stack, with the labels its alerts carry. Undefined when the stack has
 * no alert rule (alerts then come from outside the tree, which it cannot know).
 */
export function stackAlertLabels(stack: Stack): AlertLabels[] | undefined {
  const rules = stack.node
    .findAll()
    .filter(isAlertRule)
    .filter((r) => !r._standIn);
  if (rules.length === 0) return undefined;
  return rules.map((r) => {
    let doc: Record<string, unknown>;
    try {
      doc = r._toDocument();
    } catch {
      return { rule: r.node.path, labels: new Map(), open: true };
    }
    const group = r.node.scope as { loki?: LogValueSource; prometheus?: PrometheusValueSource } | undefined;
    const values: Record<string, KnownValues> = group?.loki ? logLabelValues(group.loki) : prometheusValues(group?.prometheus).labelValues;
    const labels = new Map<string, KnownValues | undefined>();
    const expr = typeof doc.expr === 'string' ? doc.expr : '';
    const kept = keptLabels(expr) ?? (group?.prometheus && UP_COMPARISON.test(expr) && !hasStaticLabels(group.prometheus) ? [...TARGET_LABELS] : undefined);
    for (const l of kept ?? []) labels.set(l, values[l]);
    // The rule's labels replace those of the expression (Prometheus rules/alerting.go; Loki's ruler is Prometheus's).
    for (const [k, v] of Object.entries((doc.labels as Record<string, unknown> | undefined) ?? {})) {
      labels.set(k, typeof v === 'string' && !v.includes('{{') ? { values: [v] } : undefined);
    }
    labels.set('alertname', { values: [r.alertName] });
    return { rule: r.node.path, labels, open: kept === undefined };
  });
}
