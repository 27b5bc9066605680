import { Construct, type IConstruct } from 'constructs';
import { Duration } from '../core/duration.js';
import { DocumentFile } from '../core/generated-file.js';
import { toPrometheusDuration } from '../prometheus/prometheus-duration.js';
import { alertmanagerConfigIssues } from './alertmanager-config-schema.js';
import type { Receiver, SecretPath } from './receiver.js';

/** A route below the top one: alerts whose labels match go to its receiver. */
export interface AlertRoute {
  /** Label values an alert must have, e.g. `{ severity: 'critical' }` (each an equality matcher). */
  readonly matchers: Readonly<Record<string, string>>;
  /** Where matching alerts go. */
  readonly receiver: Receiver;
  /**
   * Also try the routes after this one (otherwise the first match wins).
   * @default false
   */
  readonly continue?: boolean;
}

/** How alerts are grouped into notifications. */
export interface AlertGrouping {
  /**
   * Labels whose values make one notification group.
   * @default ['alertname', 'compose_project', 'compose_service']
   */
  readonly groupBy?: readonly string[];
  /** Wait before the first notification of a new group (more alerts may join). @default Duration.seconds(30) */
  readonly groupWait?: Duration;
  /** Wait before notifying about alerts added to a group already notified. @default Duration.minutes(5) */
  readonly groupInterval?: Duration;
  /** Notify again about a group still firing after this long. @default Duration.hours(4) */
  readonly repeatInterval?: Duration;
}

/** Props of an {@link AlertmanagerConfigFile}. */
export interface AlertmanagerConfigFileProps extends AlertGrouping {
  readonly filePath: string;
  /** Receiver of the top route: alerts no other route takes. */
  readonly defaultReceiver: Receiver;
  /** Routes below the top one, tried in order. Read when the file is rendered. */
  readonly routes: () => readonly AlertRoute[];
  /** Where the container finds each secret. */
  readonly secretPath: SecretPath;
}

/**
 * Alertmanager's configuration: one top route to the default receiver, the
 * routes below it, and every receiver they name (each defined once).
 */
export class AlertmanagerConfigFile extends DocumentFile {
  private readonly props: AlertmanagerConfigFileProps;

  constructor(scope: Construct, id: string, props: AlertmanagerConfigFileProps) {
    super(scope, id, { filePath: props.filePath });
    this.props = props;
  }

  /** Every receiver the routes name, the default first, each once. */
  public get receivers(): Receiver[] {
    const out: Receiver[] = [];
    for (const r of [this.props.defaultReceiver, ...this.props.routes().map((x) => x.receiver)]) if (!out.includes(r)) out.push(r);
    return out;
  }

  protected buildDocument(): unknown {
    const p = this.props;
    const routes = p.routes();
    return {
      route: {
        receiver: p.defaultReceiver.name,
        group_by: [...(p.groupBy ?? ['alertname', 'compose_project', 'compose_service'])],
        group_wait: toPrometheusDuration(p.groupWait ?? Duration.seconds(30)),
        group_interval: toPrometheusDuration(p.groupInterval ?? Duration.minutes(5)),
        repeat_interval: toPrometheusDuration(p.repeatInterval ?? Duration.hours(4)),
        ...(routes.length
          ? {
              routes: routes.map((r) => ({
                receiver: r.receiver.name,
                // The matcher syntax of Alertmanager >= 0.22 (docs/configuration.md, <matcher>), values quoted.
                matchers: Object.entries(r.matchers).map(([k, v]) => `${k}=${JSON.stringify(v)}`),
                ...(r.continue ? { continue: true } : {}),
              })),
            }
          : {}),
      },
      receivers: this.receivers.map((r) => r._toConfig(p.secretPath)),
    };
  }

  /** The routes and receivers come from the Alertmanager's props (its scope), whose own checks report a mistake in them there. */
  protected override sourceOf(path: readonly PropertyKey[]): IConstruct | undefined {
    return path[0] === 'route' || path[0] === 'receivers' ? this.node.scope : undefined;
  }

  protected override checkDocument(doc: unknown): void {
    const issues = alertmanagerConfigIssues(doc);
    if (issues.length) this.failWithIssues('the Alertmanager configuration would not load (check addOverride calls)', issues);
  }
}
