import { Construct } from 'constructs';
import type { Secret } from '../compose/secret.js';
import { Duration } from '../core/duration.js';
import { Grafana } from '../grafana/grafana.js';
import { z } from 'zod';
import { enumOf, parseProps, propsSchema, recordFallback } from '../core/props.js';
import { CollectorKind } from '../collector/log-collector.js';
import { durationValue, portNumber } from '../core/value-schemas.js';
import { secretValue } from '../compose/service-props.js';
import { NetworkMode, Stack, StackProps, isComposeProjectName, stackSchema } from '../core/stack.js';
import { Logging } from '../logging/logging.js';

/** The run-time schema of {@link LoggingOnlyStackProps} (see core/props.ts). */
export const loggingOnlyStackSchema = propsSchema<LoggingOnlyStackProps>()(
  stackSchema.extend({
    targetProject: z.string(),
    retention: durationValue.optional(),
    lokiPort: portNumber.optional(),
    collector: enumOf<CollectorKind>('CollectorKind', () => CollectorKind).optional(),
    collectorPort: portNumber.optional(),
    promtailPort: portNumber.optional(),
    grafanaPort: portNumber.optional(),
    grafanaAdminPassword: secretValue.optional(),
  }),
);

/** Props of {@link LoggingOnlyStack}. */
export interface LoggingOnlyStackProps extends StackProps {
  /** The existing Compose project whose containers' logs are collected. */
  readonly targetProject: string;
  /**
   * How long logs are kept.
   * @default Duration.days(7)
   */
  readonly retention?: Duration;
  /**
   * Loki's HTTP port (published on the bind address): change it when the
   * project it joins already uses it.
   * @default 3100
   */
  readonly lokiPort?: number;
  /**
   * The log collector. @default CollectorKind.PROMTAIL when `promtailPort` is given (the stacks
   * that had it), else CollectorKind.ALLOY
   */
  readonly collector?: CollectorKind;
  /** The collector's HTTP port (readiness, `/metrics`). @default 12345 (Alloy), 9080 (Promtail) */
  readonly collectorPort?: number;
  /** @deprecated Promtail's HTTP port: use `collectorPort` (given alone, it keeps Promtail as the collector). */
  readonly promtailPort?: number;
  /** Grafana's HTTP port: projects often use 3000 themselves. @default 3000 */
  readonly grafanaPort?: number;
  /**
   * The Grafana admin password, e.g. `Secret.fromEnv('SHOP_GRAFANA_PASSWORD')`
   * when the project it joins already uses GRAFANA_ADMIN_PASSWORD for a Grafana of its own.
   * @default Secret.fromEnv('GRAFANA_ADMIN_PASSWORD')
   */
  readonly grafanaAdminPassword?: Secret;
}

/**
 * Loki, Promtail and Grafana as a project of their own, collecting the logs
 * of another, already running Compose project (named by the user). Its own
 * project name is `<targetProject>-logging` (so its containers are
 * `<targetProject>-logging-loki-1`, `-promtail-1`, `-grafana-1`).
 * Bridge networking by default so it does not compete for the other
 * project's ports on the host network.
 */
export class LoggingOnlyStack extends Stack {
  public readonly logging: Logging;
  public readonly targetProject: string;

  constructor(scope: Construct, id: string, props: LoggingOnlyStackProps) {
    // Checked before super(): the Stack checks only its own props; the problems are recorded once it exists.
    const checked = parseProps(loggingOnlyStackSchema, props, { owner: 'LoggingOnlyStack' }, { targetProject: 'invalid' });
    props = checked.props;
    // What derives from the target (its own project name, the collector's project) goes on with a
    // fallback when the target is wrong: that one mistake is reported once, as targetProject's.
    const targetOk = isComposeProjectName(props.targetProject);
    const target = targetOk ? props.targetProject : 'invalid';
    super(scope, id, {
      bindAddress: props.bindAddress,
      imageMirror: props.imageMirror,
      target: props.target,
      networkMode: props.networkMode ?? NetworkMode.BRIDGE,
      projectName: props.projectName ?? `${target}-logging`,
    });
    checked.report(this);
    if (!targetOk && props.projectName === undefined) recordFallback(this, 'projectName');
    this.targetProject = props.targetProject;
    this.node.addValidation({
      validate: () => {
        if (!targetOk) {
          return [`targetProject '${props.targetProject}' is not a Compose project name: give the name shown by \`docker compose ls\``];
        }
        // Same name, same Compose project: deploying it would take over (and `down` would remove) the
        // containers it is meant to watch, and it would collect only its own logs.
        if (this.projectName === props.targetProject) {
          return [
            `its own project name is '${this.projectName}', the project it is asked to watch: give it another name (the default is '${props.targetProject}-logging')`,
          ];
        }
        return [];
      },
    });
    const grafana = new Grafana(this, 'grafana', {
      ...(props.grafanaPort !== undefined ? { port: props.grafanaPort } : {}),
      ...(props.grafanaAdminPassword ? { adminPassword: props.grafanaAdminPassword } : {}),
    });
    this.logging = new Logging(this, 'logging', {
      retention: props.retention,
      grafana,
      loki: props.lokiPort !== undefined ? { port: props.lokiPort } : {},
      ...collectorSettings(props, target),
    });
  }
}

/** The Logging settings of the collector: its kind and port (see the props' defaults). */
function collectorSettings(props: LoggingOnlyStackProps, project: string) {
  const kind = props.collector ?? (props.promtailPort !== undefined ? CollectorKind.PROMTAIL : CollectorKind.ALLOY);
  const port = props.collectorPort ?? props.promtailPort;
  const settings = { project, ...(port !== undefined ? { port } : {}) };
  return kind === CollectorKind.PROMTAIL ? { collector: kind, promtail: settings } : { collector: kind, alloy: settings };
}
