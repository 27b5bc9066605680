import { OPTIONAL_LABEL } from '../compose/service.js';

/**
 * The labels Docker Compose puts on what it creates (pkg/api/labels.go).
 * aixcl-deploy deploys through Compose and reads the daemon by them.
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
  /**
   * Version of the aixcl-deploy that created a container, network or volume,
   * before it deployed through Compose: what carries it counts as this
   * tool's (removed by `up` once no longer in the stack), as what the
   * deploy record names does now.
   */
  TOOL_VERSION: 'dev.aixcl.deploy.version',
  /** Set to `true` on a service to make its failure "degraded" rather than fatal. */
  OPTIONAL: OPTIONAL_LABEL,
} as const;

/** Compose's name for the N-th container of a service (pkg/compose/convergence.go getDefaultContainerName: project, service, number joined by `-`). */
export function containerName(project: string, service: string, n = 1): string {
  return `${project}-${service}-${n}`;
}
