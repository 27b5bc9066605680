import { OPTIONAL_LABEL } from '../compose/service.js';
import { TOOL_VERSION } from './version.js';

/**
 * The labels Docker Compose puts on what it creates. aixcl-deploy sets the
 * same ones, so `docker compose -p NAME ps|logs|down` work on a stack it
 * deployed, and Promtail's discovery (a filter on the project label) finds
 * its containers exactly as under Compose.
 */
export const ComposeLabel = {
  PROJECT: 'com.docker.compose.project',
  SERVICE: 'com.docker.compose.service',
  CONTAINER_NUMBER: 'com.docker.compose.container-number',
  ONEOFF: 'com.docker.compose.oneoff',
  CONFIG_HASH: 'com.docker.compose.config-hash',
  WORKING_DIR: 'com.docker.compose.project.working_dir',
  CONFIG_FILES: 'com.docker.compose.project.config_files',
  ENVIRONMENT_FILE: 'com.docker.compose.project.environment_file',
  VERSION: 'com.docker.compose.version',
  DEPENDS_ON: 'com.docker.compose.depends_on',
  IMAGE: 'com.docker.compose.image',
  NETWORK: 'com.docker.compose.network',
  VOLUME: 'com.docker.compose.volume',
} as const;

/** Labels of aixcl-deploy's own. */
export const DeployLabel = {
  /** Fingerprint of each setting of the service (JSON `{setting: hash}`), to say WHAT changed when a container is recreated. */
  SETTINGS: 'dev.aixcl.deploy.settings',
  /**
   * Version of aixcl-deploy that created the container, network or volume.
   * Only what carries it is ever removed by `up` (as no longer in the stack).
   */
  TOOL_VERSION: 'dev.aixcl.deploy.version',
  /** Set to `true` on a service to make its failure "degraded" rather than fatal. */
  OPTIONAL: OPTIONAL_LABEL,
} as const;

/**
 * The Compose release whose label conventions these follow (written to
 * `com.docker.compose.version`, which Compose only displays).
 */
export const COMPOSE_COMPAT_VERSION = '2.26.1';

/** Compose's name for the N-th container of a service. */
export function containerName(project: string, service: string, n = 1): string {
  return `${project}-${service}-${n}`;
}

/** Compose's `depends_on` label value: `name:condition:restart`, comma-separated. */
export function dependsOnLabel(deps: ReadonlyArray<{ service: string; condition: string; restart: boolean }>): string {
  return deps.map((d) => `${d.service}:${d.condition}:${d.restart}`).join(',');
}

/** Labels of a network of the key `key` of a project: Compose's, and aixcl-deploy's own mark. */
export function networkLabels(project: string, key: string, own: Record<string, string> = {}): Record<string, string> {
  return {
    ...own,
    [ComposeLabel.NETWORK]: key,
    [ComposeLabel.PROJECT]: project,
    [ComposeLabel.VERSION]: COMPOSE_COMPAT_VERSION,
    [DeployLabel.TOOL_VERSION]: TOOL_VERSION,
  };
}

/** Labels of a volume of the key `key` of a project: Compose's, and aixcl-deploy's own mark. */
export function volumeLabels(project: string, key: string, own: Record<string, string> = {}): Record<string, string> {
  return {
    ...own,
    [ComposeLabel.PROJECT]: project,
    [ComposeLabel.VERSION]: COMPOSE_COMPAT_VERSION,
    [ComposeLabel.VOLUME]: key,
    [DeployLabel.TOOL_VERSION]: TOOL_VERSION,
  };
}
