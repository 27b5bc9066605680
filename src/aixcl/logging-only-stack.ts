import { Construct } from 'constructs';
import { z } from 'zod';
import { parseProps, propsSchema } from '../core/props.js';
import { durationValue } from '../core/value-schemas.js';
import { Duration } from '../core/duration.js';
import { NetworkMode, Stack, StackProps, isComposeProjectName, stackSchema } from '../core/stack.js';
import { Logging } from '../logging/logging.js';

/** The run-time schema of {@link LoggingOnlyStackProps} (see core/props.ts). */
export const loggingOnlyStackSchema = propsSchema<LoggingOnlyStackProps>()(
  stackSchema.extend({ targetProject: z.string(), retention: durationValue.optional() }),
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
}

/**
 * Loki, Promtail and Grafana as a project of their own, collecting the logs
 * of another, already running Compose project (named by the user).
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
    super(scope, id, {
      bindAddress: props.bindAddress,
      networkMode: props.networkMode ?? NetworkMode.BRIDGE,
      projectName: props.projectName ?? `${props.targetProject}-logging`,
    });
    checked.report(this);
    this.targetProject = props.targetProject;
    this.node.addValidation({
      validate: () =>
        isComposeProjectName(props.targetProject)
          ? []
          : [`targetProject '${props.targetProject}' is not a Compose project name: give the name shown by \`docker compose ls\``],
    });
    this.logging = new Logging(this, 'logging', { retention: props.retention, promtail: { project: props.targetProject } });
  }
}
