import { Construct, IConstruct } from 'constructs';
import type { Service } from '../compose/service.js';
import type { Duration } from '../core/duration.js';
import { recordProblem } from '../core/props.js';
import { Stack } from '../core/stack.js';
import { logLabelValues } from '../labels/log-label-values.js';
import type { KnownValues } from '../labels/value-match.js';

const DATASOURCE = Symbol.for('aixcl-cdk.GrafanaDatasource');
const GRAFANA = Symbol.for('aixcl-cdk.Grafana');

/** How a dashboard refers to a datasource: by its fixed type and uid (never by name). */
export interface DatasourceRef {
  readonly type: string;
  readonly uid: string;
}

/**
 * What a datasource can point at: a construct with a compose service and the
 * URL other services reach it by (the Loki and Prometheus constructs).
 */
export interface HttpBackend extends IConstruct {
  readonly service: Service;
  /** Base URL for other services of the stack (depends on the network mode). */
  readonly url: string;
}

/** A Loki (structurally: the `Loki` construct of src/loki). */
export interface LokiLike extends HttpBackend {
  /** The stream labels its collectors produce (queries are checked against them); undefined when unknown. */
  streamLabels?(): readonly string[] | undefined;
  /** The structured metadata fields its collectors store with each line (e.g. `level`). */
  structuredMetadata?(): readonly string[];
  /** The Compose projects it receives logs of, and the label holding the project. */
  collectedProjects?(): { readonly label: string; readonly projects: readonly string[] } | undefined;
  /** The most lines a query may return (`limits_config.max_entries_limit_per_query`). */
  readonly maxEntriesLimitPerQuery?: number;
}

/** What LogQL on a Loki may select on, as {@link checkLogQL} options (empty when the tree does not know). */
export function lokiQueryContext(loki: LokiLike | undefined): {
  streamLabels?: readonly string[];
  labelValues?: Record<string, KnownValues>;
  lokiName?: string;
} {
  if (!loki) return {};
  const streamLabels = loki.streamLabels?.();
  const labelValues = logLabelValues(loki);
  return {
    ...(streamLabels ? { streamLabels } : {}),
    ...(Object.keys(labelValues).length ? { labelValues } : {}),
    lokiName: loki.node.path,
  };
}
/** A Prometheus (structurally: the `Prometheus` construct of src/prometheus). */
export interface PrometheusLike extends HttpBackend {
  /** Its configuration, whose scrape interval Grafana's `$__rate_interval` needs. */
  readonly config?: { readonly scrapeInterval?: Duration };
  /** The label names of a metric's series, where it knows them (PromQL label matchers are checked against them). */
  seriesLabels?(metric: string): readonly string[] | undefined;
}

/**
 * The parts of a Grafana that its datasources and dashboards use. Kept apart
 * from the Grafana construct so those modules do not import it (no cycle).
 * @internal
 */
export interface GrafanaHost extends IConstruct {
  readonly service: Service;
  /** Stack-relative directory of the provisioning files, e.g. `grafana/provisioning`. */
  readonly provisioningDirectory: string;
  /** Where the provisioning directory is mounted in the container. */
  readonly provisioningMountPath: string;
  readonly datasources: readonly Datasource[];
}

/** @internal Marks a construct as a Grafana, across copies of this library. */
export function markGrafana(c: IConstruct): void {
  Object.defineProperty(c, GRAFANA, { value: true });
}

/** @internal True for the Grafana construct. */
export function isGrafana(x: unknown): x is GrafanaHost {
  return typeof x === 'object' && x !== null && GRAFANA in x;
}

/** @internal The nearest Grafana among the scopes of `c` (itself included). */
export function findGrafana(c: IConstruct): GrafanaHost | undefined {
  return [...c.node.scopes].reverse().find(isGrafana);
}

/** A Grafana datasource uid: Grafana allows at most 40 letters, digits, '-' and '_'. */
export const DATASOURCE_UID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;

/** Props common to every datasource. */
export interface DatasourceProps {
  /** Fixed uid that dashboards reference. */
  readonly uid: string;
  /** Display name, unique within the Grafana. */
  readonly name: string;
  /**
   * Pre-selected for new panels. At most one datasource of a Grafana may be the default.
   * @default false
   */
  readonly isDefault?: boolean;
}

/**
 * A datasource provisioned into one Grafana. Its uid is fixed (dashboards
 * reference it), and its URL comes from the construct it points at.
 */
export abstract class Datasource extends Construct {
  public static isDatasource(x: unknown): x is Datasource {
    return typeof x === 'object' && x !== null && DATASOURCE in x;
  }

  /** The Grafana plugin id, e.g. `loki`. */
  public abstract readonly type: string;
  public readonly uid: string;
  public readonly name: string;
  public readonly isDefault: boolean;
  /** The Grafana that provisions this datasource. */
  public readonly grafana: GrafanaHost;
  /** @internal False for a stand-in whose uid or name has a recorded problem: the provisioning file leaves it out. */
  public readonly _provisioned: boolean;

  protected constructor(grafana: GrafanaHost, props: DatasourceProps) {
    // A uid or name that Grafana would refuse is recorded on the Grafana (nothing is written), and the
    // datasource goes on as a stand-in: dashboards and later add* calls still find it by its uid, but
    // the provisioning file leaves it out, so no other problem (a duplicate entry there) follows.
    const problems: string[] = [];
    if (!DATASOURCE_UID_PATTERN.test(props.uid)) {
      problems.push(`datasource uid '${props.uid}' is invalid: use 1 to 40 letters, digits, '-' and '_' (dashboards reference it)`);
    }
    const taken = grafana.datasources.find((d) => d.uid === props.uid);
    if (taken) {
      problems.push(`datasource uid '${props.uid}' is already used by ${taken.node.path}: give each datasource of a Grafana its own uid`);
    }
    // The same datasource added twice (its name is also taken, often by default) is one mistake: one message.
    const named = grafana.datasources.find((d) => d.name === props.name);
    if (named && named !== taken) {
      problems.push(`datasource name '${props.name}' is already used by ${named.node.path}: give each datasource of a Grafana its own name`);
    }
    // A stand-in of a uid already used needs an id of its own (as may an invalid uid whose '/' reads as '--').
    super(grafana, uniqueChildId(grafana, `Datasource-${props.uid}`));
    problems.forEach((p) => recordProblem(grafana, p));
    Object.defineProperty(this, DATASOURCE, { value: true });
    this._provisioned = problems.length === 0;
    this.grafana = grafana;
    this.uid = props.uid;
    this.name = props.name;
    this.isDefault = props.isDefault ?? false;
  }

  /** `{ type, uid }`, as panels, queries and variables reference this datasource. */
  public get ref(): DatasourceRef {
    return { type: this.type, uid: this.uid };
  }

  /** @internal The datasource's entry in the provisioning file (values unescaped). */
  public abstract _toProvisioning(): Record<string, unknown>;

  /**
   * Entries every datasource has, in Grafana's documented order. `url` is undefined in a stand-in made
   * without its backend (see checkMethodProps): a placeholder keeps the file's own checks quiet (its
   * problem is recorded, so the file is never written).
   */
  protected baseProvisioning(url: string | undefined): Record<string, unknown> {
    return {
      name: this.name,
      type: this.type,
      uid: this.uid,
      access: 'proxy',
      url: url ?? 'http://invalid.invalid',
      isDefault: this.isDefault,
      editable: false,
    };
  }
}

/**
 * Checks that `target` can be reached from `grafana`: a URL of another stack does not resolve. The
 * problem is recorded at the Grafana's path and false returned: the datasource then goes on as a
 * stand-in without its backend (as when checkMethodProps found it wrong), so that no other problem
 * follows from it. Without a target (such a stand-in already), nothing to check.
 * @internal
 */
export function requireSameStack(grafana: GrafanaHost, target: IConstruct | undefined, what: string): boolean {
  if (target && Stack.of(target) !== Stack.of(grafana)) {
    recordProblem(
      grafana,
      `cannot use ${what} ${target.node.path}: it is in another stack, whose services this Grafana cannot reach; create it in this Grafana's stack`,
    );
    return false;
  }
  return true;
}

/**
 * @internal `base`, or when `scope` already has a child of that id (a stand-in made in place of a
 * second one, its problem recorded), `base~2`, `base~3`, ...: '~' is in no uid, so no later valid
 * datasource or dashboard clashes with it.
 */
export function uniqueChildId(scope: IConstruct, base: string): string {
  let id = base;
  for (let n = 2; scope.node.tryFindChild(id); n++) id = `${base}~${n}`;
  return id;
}
