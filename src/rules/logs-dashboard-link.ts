import type { IConstruct } from 'constructs';
import { Stack } from '../core/stack.js';
import { LogsDashboard } from '../grafana/logs-dashboard.js';

/** Where an alert's link should open the logs. */
export interface LogsDashboardLinkOptions {
  /** The Compose project of the service. */
  readonly project: string;
  /** The service's name, or a template that an alert fills in (e.g. `{{ $labels.compose_service }}`). */
  readonly service: string;
  /** Only a dashboard of this Loki. @default any */
  readonly loki?: IConstruct;
}

/**
 * The URL of the logs dashboard of the scope's stack that shows `project`,
 * opened on one service (its service variable set), or undefined when the
 * stack has no such dashboard. Absolute when Grafana is published on the host,
 * so a link in a notification opens from anywhere on the host.
 */
export function logsDashboardLink(scope: IConstruct, options: LogsDashboardLinkOptions): string | undefined {
  const dashboard = Stack.of(scope)
    .node.findAll()
    .find(
      (d): d is LogsDashboard =>
        // A stand-in (its problem recorded, see checkMethodProps) has no datasource: nothing to link to.
        d instanceof LogsDashboard &&
        d.datasource !== undefined &&
        d.project === options.project &&
        (options.loki === undefined || d.datasource.loki === options.loki),
    );
  if (!dashboard) return undefined;
  const grafana = dashboard.grafana as { hostUrl?: string; url?: string };
  const base = grafana.hostUrl ?? grafana.url ?? '';
  const value = options.service.startsWith('{{') ? options.service : encodeURIComponent(options.service);
  return `${base}/d/${encodeURIComponent(dashboard.dashboardUid)}?var-${dashboard.serviceVariable}=${value}`;
}
