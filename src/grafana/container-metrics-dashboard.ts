import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { Construct } from 'constructs';
import { recordProblem } from '../core/props.js';
import { NetworkMode, Stack } from '../core/stack.js';
import type { ProjectLabels } from '../core/target.js';
import { Dashboard, STAND_IN_DASHBOARD } from './dashboard.js';
import { findGrafana } from './datasource-base.js';
import { logqlString } from './logql.js';
import type { LogsDashboard } from './logs-dashboard.js';
import type { PrometheusDatasource } from './prometheus-datasource.js';

/** Props of a {@link ContainerMetricsDashboard}. */
export interface ContainerMetricsDashboardProps {
  /** The Prometheus datasource (scraping cAdvisor) of the same Grafana. */
  readonly datasource: PrometheusDatasource;
  /**
   * The logs dashboard each series links to, filtered to that series' service.
   * @default no link
   */
  readonly logs?: LogsDashboard;
  /**
   * A series of log lines per second recorded into Prometheus by Loki's ruler
   * (a `LogRecordingRule` of `LogMetric.rate({ project, perLevel: true })`):
   * graphed per service and level next to CPU and memory, at the cost of one
   * PromQL query instead of a LogQL scan of every line.
   * @default no log panel
   */
  readonly logLines?: RecordedLogLines;
  /** @default '<project>-containers' */
  readonly uid?: string;
  /** @default 'Containers' */
  readonly title?: string;
}

/** The metric label under which cAdvisor exports a container label (characters invalid in a label name become `_`). */
function cadvisorLabel(containerLabel: string): string {
  return `container_label_${containerLabel.replace(/[^a-zA-Z0-9_]/g, '_')}`;
}

/** A recorded series of log lines per second, by `compose_project`, `compose_service` and `level` (structurally: a `LogRecordingRule`). */
export interface RecordedLogLines {
  /** The name of the recorded series. */
  readonly record: string;
}

/**
 * CPU, memory and (except on host networking) network of every container
 * of the stack, per compose service, from cAdvisor. Series are selected by
 * the compose project label and grouped by the service label: there is no
 * list of service names that a service added later could be missing from.
 */
export class ContainerMetricsDashboard extends Dashboard {
  public readonly project: string;
  public readonly dashboardUid: string;
  public readonly datasource: PrometheusDatasource;

  constructor(scope: Construct, id: string, props: ContainerMetricsDashboardProps) {
    const project = Stack.of(scope).projectName;
    // Without a datasource this is a stand-in (its problem is recorded, see checkMethodProps): an empty
    // dashboard, checked for nothing. So is one whose datasource belongs to another Grafana; a logs
    // dashboard of another Grafana is left unlinked. Both are recorded below, once the construct exists.
    const given = props.datasource as PrometheusDatasource | undefined;
    const grafana = findGrafana(scope) ?? given?.grafana;
    const problems: string[] = [];
    let datasource = given;
    if (grafana && given && given.grafana !== grafana) {
      problems.push(
        `its datasource ${given.node.path} belongs to another Grafana (${given.grafana.node.path}): use a Prometheus datasource of ${grafana.node.path}`,
      );
      datasource = undefined;
    }
    let logs = props.logs;
    if (grafana && logs && logs.grafana !== grafana) {
      problems.push(`the logs dashboard ${logs.node.path} is provisioned by another Grafana: link to one of ${grafana.node.path}`);
      logs = undefined;
    }
    const uid = props.uid ?? `${project}-containers`;
    // On host networking every container shares the host's network namespace, so cAdvisor reports
    // the host's interfaces for each of them: a per-service network panel would show the whole
    // host's traffic on every service's line. Only CPU and memory are per container there.
    const perServiceNetwork = Stack.of(scope).networkMode !== NetworkMode.HOST;
    super(scope, id, {
      dashboard: datasource
        ? buildContainerMetricsDashboard(project, uid, { ...props, datasource, logs }, perServiceNetwork, Stack.of(scope).projectLabels)
        : STAND_IN_DASHBOARD,
      fileName: 'container-metrics-dashboard.json',
      grafana,
    });
    problems.forEach((p) => recordProblem(this, p));
    this.project = project;
    this.dashboardUid = uid;
    this.datasource = datasource as PrometheusDatasource; // undefined in a stand-in
  }
}

function buildContainerMetricsDashboard(
  project: string,
  uid: string,
  props: ContainerMetricsDashboardProps,
  perServiceNetwork: boolean,
  engine: ProjectLabels,
): dashboard.DashboardBuilder {
  const ds = props.datasource.ref;
  // The container labels that carry project and service follow from the target (src/core/target.ts).
  const projectLabel = cadvisorLabel(engine.project);
  const serviceRegex = engine.serviceNameRegex(project);
  // Under Swarm the service label is '<stack>_<service>': label_replace takes the service's own name
  // into the label the logs use (compose_service), so series and log links name services alike.
  const serviceLabel = serviceRegex ? 'compose_service' : cadvisorLabel(engine.service);
  const byService = (expr: string) =>
    serviceRegex ? `label_replace(${expr}, "${serviceLabel}", "$1", "${cadvisorLabel(engine.service)}", ${logqlString(serviceRegex)})` : expr;
  // PromQL strings take the same escapes as LogQL's (Go's).
  const selector = `{${projectLabel}=${logqlString(project)}}`;
  const perService = (expr: string) => `sum by (${serviceLabel}) (${byService(expr)})`;
  const legend = new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom);
  const target = (refId: string, expr: string, legendFormat = `{{${serviceLabel}}}`) =>
    new prometheus.DataqueryBuilder().datasource(ds).refId(refId).range().expr(expr).legendFormat(legendFormat);
  const links = props.logs
    ? [new dashboard.DashboardLinkBuilder('Logs of this service').url(props.logs.linkToService(`\${__field.labels.${serviceLabel}}`))]
    : [];
  const panel = (title: string, unit: string, x: number, y: number) => {
    const p = new timeseries.PanelBuilder().title(title).datasource(ds).unit(unit).legend(legend).gridPos({ x, y, w: 12, h: 8 });
    return links.length ? p.dataLinks(links) : p;
  };

  const builder = new dashboard.DashboardBuilder(props.title ?? 'Containers')
    .uid(uid)
    .tags(['containers', project])
    .time({ from: 'now-1h', to: 'now' })
    .refresh('30s')
    .withPanel(
      panel('CPU by service (cores)', 'short', 0, 0).withTarget(
        target('A', perService(`rate(container_cpu_usage_seconds_total${selector}[$__rate_interval])`)),
      ),
    )
    .withPanel(panel('Memory by service (working set)', 'bytes', 12, 0).withTarget(target('A', perService(`container_memory_working_set_bytes${selector}`))));
  if (props.logLines) {
    // The recorded series keeps Loki's labels (compose_service), not cAdvisor's.
    const logLinks = props.logs
      ? [new dashboard.DashboardLinkBuilder('Logs of this service').url(props.logs.linkToService('${__field.labels.compose_service}'))]
      : [];
    const p = new timeseries.PanelBuilder()
      .title('Log lines per second by service and level')
      .description(`Recorded by Loki's ruler into Prometheus as ${props.logLines.record}.`)
      .datasource(ds)
      .unit('short')
      .legend(legend)
      .gridPos({ x: 0, y: perServiceNetwork ? 16 : 8, w: 24, h: 8 })
      .withTarget(
        target('A', `sum by (compose_service, level) (${props.logLines.record}{compose_project=${logqlString(project)}})`, '{{compose_service}} {{level}}'),
      );
    builder.withPanel(logLinks.length ? p.dataLinks(logLinks) : p);
  }
  if (!perServiceNetwork) return builder;
  return builder
    .withPanel(
      panel('Network received by service', 'Bps', 0, 8).withTarget(
        target('A', perService(`rate(container_network_receive_bytes_total${selector}[$__rate_interval])`)),
      ),
    )
    .withPanel(
      panel('Network sent by service', 'Bps', 12, 8).withTarget(
        target('A', perService(`rate(container_network_transmit_bytes_total${selector}[$__rate_interval])`)),
      ),
    );
}
