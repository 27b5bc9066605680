import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as logs from '@grafana/grafana-foundation-sdk/logs';
import * as loki from '@grafana/grafana-foundation-sdk/loki';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { Construct } from 'constructs';
import { ComposeFile } from '../compose/compose-file.js';
import { Service } from '../compose/service.js';
import { didYouMean } from '../core/did-you-mean.js';
import { describeValue, recordProblem } from '../core/props.js';
import { Stack } from '../core/stack.js';
import { Dashboard, STAND_IN_DASHBOARD } from './dashboard.js';
import { findGrafana } from './datasource-base.js';
import { logqlString, streamSelector } from './logql.js';
import { DETECTED_LEVEL_FIELD, LEVEL_FIELD, levelFilterOn, LogLevel } from '../log-format/log-level.js';
import type { CollectedLogLabel } from '../collector/collected-labels.js';
import type { LokiDatasource } from './loki-datasource.js';

/** Props of a {@link LogsDashboard}. */
export interface LogsDashboardProps {
  /** The Loki datasource of the same Grafana that every panel queries. */
  readonly datasource: LokiDatasource;
  /**
   * The Compose project whose logs it shows.
   * @default the project collected by the datasource's Loki collector, or the stack's project
   */
  readonly project?: string;
  /** @default '<project>-logs' */
  readonly uid?: string;
  /** @default 'Logs' */
  readonly title?: string;
}

// Labels the collectors give every line; typed against the collectors' list so a rename there fails compilation here.
const PROJECT_LABEL: CollectedLogLabel = 'compose_project';
const SERVICE_LABEL: CollectedLogLabel = 'compose_service';

/**
 * A project's logs: volume and error rate per service, and the lines
 * themselves, filtered by service and a search regex. Every query derives
 * from the project its Loki collects (the stack's, unless a logging-only
 * stack collects another one), so renaming a project cannot leave the
 * panels empty.
 */
export class LogsDashboard extends Dashboard {
  /** The compose project whose logs it shows. */
  public readonly project: string;
  public readonly dashboardUid: string;
  public readonly datasource: LokiDatasource;
  /** The variable that selects services. */
  public readonly serviceVariable = 'service';
  private readonly linkedServices: string[] = [];
  /** The variable holding the search regex. */
  public readonly searchVariable = 'search';
  /** The variable selecting levels. */
  public readonly levelVariable = 'level';

  constructor(scope: Construct, id: string, props: LogsDashboardProps) {
    // Without a datasource this is a stand-in (its problem is recorded, see checkMethodProps): an empty
    // dashboard, checked for nothing, with the project and uid the user would get. So is one whose
    // datasource belongs to another Grafana (recorded below): it would query what this one lacks.
    const grafana = findGrafana(scope);
    const given = props.datasource as LokiDatasource | undefined;
    const foreign = grafana !== undefined && given !== undefined && given.grafana !== grafana;
    const datasource = foreign ? undefined : given;
    const project = props.project ?? collectedProjects(datasource)[0] ?? Stack.of(scope).projectName;
    const uid = props.uid ?? `${project}-logs`;
    super(scope, id, {
      // Built when rendered: which level field it filters on depends on the collectors' final pipelines.
      dashboard: datasource ? { build: () => buildLogsDashboard(project, uid, { ...props, datasource }).build() } : STAND_IN_DASHBOARD,
      fileName: 'logs-dashboard.json',
      grafana: datasource?.grafana ?? grafana,
    });
    if (foreign) {
      recordProblem(
        this,
        `its datasource ${given.node.path} belongs to another Grafana (${given.grafana.node.path}): use a Loki datasource of ${grafana.node.path}`,
      );
    }
    this.project = project;
    this.dashboardUid = uid;
    this.datasource = datasource as LokiDatasource; // undefined in a stand-in
    // A dashboard of a project nothing collects would stay empty (a logging-only stack once
    // queried its own project instead of the one it collects).
    this.node.addValidation({ validate: () => this.validateLinks() });
    this.node.addValidation({
      validate: () => {
        const collected = collectedProjects(datasource);
        return collected.length === 0 || collected.includes(this.project)
          ? []
          : [
              `shows the logs of project '${this.project}', but ${datasource!.loki.node.path} only receives logs of ${collected.map((p) => `'${p}'`).join(', ')}: set { project: '${collected[0]}' } or collect '${this.project}'`,
            ];
      },
    });
  }

  /**
   * A link (relative to Grafana) that opens this dashboard filtered to one
   * service, keeping the time range. `service` is a Service, the name of one
   * (checked against the project's services at synthesis, when the dashboard
   * shows this stack's project), or a data-link expression such as
   * `${__field.labels.x}`.
   */
  public linkToService(service: string | Service): string {
    let name: string;
    if (Service.isService(service)) name = service.serviceName;
    else if (typeof service === 'string') name = service;
    else {
      recordProblem(this, `linkToService(): service must be a Service or a service name, got ${describeValue(service)}: pass the Service (or its serviceName)`);
      return `/d/${this.dashboardUid}`;
    }
    // A data-link expression (`${__field.labels.x}`) is Grafana's to fill in; a name is checked at validation.
    if (!name.includes('${')) this.linkedServices.push(name);
    const value = name.includes('${') ? name : encodeURIComponent(name);
    return `/d/${this.dashboardUid}?var-${this.serviceVariable}=${value}&\${__url_time_range}`;
  }

  /** Service names given to linkToService: each must be a service of the project the dashboard shows (when that is this stack's). */
  private validateLinks(): string[] {
    const stack = Stack.of(this);
    // A stand-in (its datasource had a problem) links nowhere; another project's services are not known here.
    if (!this.datasource || this.project !== stack.projectName) return [];
    const names = ComposeFile.of(stack)
      .services()
      .map((s) => s.serviceName);
    return [...new Set(this.linkedServices)]
      .filter((n) => !names.includes(n))
      .map(
        (n) =>
          `linkToService('${n}'): no service of project '${this.project}' is named '${n}', so the link would open an empty filter${didYouMean(n, names) ?? `: use one of ${names.join(', ')}`}`,
      );
  }
}

/** The projects whose logs the datasource's Loki receives (from its collectors, each collector's `project`). */
function collectedProjects(datasource: LokiDatasource | undefined): string[] {
  // A stand-in has no datasource, a stand-in datasource no Loki (see checkMethodProps): none then.
  const loki = datasource?.loki as { collectors?: ReadonlyArray<{ project?: unknown }> } | undefined;
  return [...new Set((loki?.collectors ?? []).map((c) => c.project).filter((p): p is string => typeof p === 'string'))];
}

/**
 * The field the level filters read: the collectors' own `level` when one of them stores it (a
 * service declared its log format), else `detected_level`, which Loki sets itself when
 * `discover_log_levels` is on (from a `level` field, or guessed from the text: field_detection.go,
 * extractLogLevel). A logging-only stack collects another project's services, whose formats it does
 * not know: filtering on `level` there kept no line at all.
 */
function levelField(datasource: LokiDatasource): string {
  // A Loki the tree does not describe (no structuredMetadata) keeps the collector's field.
  const fields = datasource.loki?.structuredMetadata?.() ?? [LEVEL_FIELD];
  return fields.includes(LEVEL_FIELD) ? LEVEL_FIELD : DETECTED_LEVEL_FIELD;
}

function buildLogsDashboard(project: string, uid: string, props: LogsDashboardProps): dashboard.DashboardBuilder {
  const ds = props.datasource.ref;
  const projectSelector = streamSelector({ [PROJECT_LABEL]: project });
  // The project is fixed; the services come from the variable (all of them: `.+`).
  const selector = `{${PROJECT_LABEL}=${logqlString(project)}, ${SERVICE_LABEL}=~"$service"}`;
  const search = `|~ "(?i)$search"`;
  // The level the collector stored (structured metadata); "All" is `.*`, which also keeps lines
  // without a level (a missing field compares as empty).
  const field = levelField(props.datasource);
  const level = `| ${field}=~"$level"`;
  // Counted by the level the collector parsed from each program's own format, not by a regex over
  // the text: Loki's log line about this very query (which quotes it) is an info line of Loki, and
  // a Postgres `ERROR:` counts although it never says "error" in lower case.
  const errors = `${selector}${levelFilterOn(field, [LogLevel.ERROR])}`;

  const legend = new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom);
  const target = (expr: string) => new loki.DataqueryBuilder().datasource(ds).refId('A').queryType('range').expr(expr);

  return new dashboard.DashboardBuilder(props.title ?? 'Logs')
    .uid(uid)
    .tags(['logs', project])
    .time({ from: 'now-1h', to: 'now' })
    .refresh('30s')
    .withVariable(
      new dashboard.QueryVariableBuilder('service')
        .label('Service')
        .datasource(ds)
        .query({ type: 1, label: SERVICE_LABEL, stream: projectSelector, refId: 'LokiVariableQueryEditor-VariableQuery' })
        .definition(`label_values(${projectSelector}, ${SERVICE_LABEL})`)
        .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
        .sort(dashboard.VariableSort.AlphabeticalAsc)
        .multi(true)
        .includeAll(true)
        .allValue('.+')
        .current({ selected: true, text: ['All'], value: ['$__all'] }),
    )
    .withVariable(
      new dashboard.CustomVariableBuilder('level')
        .label('Level')
        .values([LogLevel.ERROR, LogLevel.WARN, LogLevel.INFO, LogLevel.DEBUG].join(','))
        .multi(true)
        .includeAll(true)
        .allValue('.*')
        .current({ selected: true, text: ['All'], value: ['$__all'] }),
    )
    .withVariable(new dashboard.TextBoxVariableBuilder('search').label('Search (regex)').defaultValue(''))
    .withPanel(
      new timeseries.PanelBuilder()
        .title('Log volume by service')
        .description('Log lines per interval, per compose service.')
        .datasource(ds)
        .withTarget(target(`sum by (${SERVICE_LABEL}) (count_over_time(${selector} ${search} ${level} [$__auto]))`).legendFormat(`{{${SERVICE_LABEL}}}`))
        .unit('short')
        .legend(legend)
        .gridPos({ x: 0, y: 0, w: 12, h: 8 }),
    )
    .withPanel(
      new timeseries.PanelBuilder()
        .title('Error rate by service')
        .description(
          field === LEVEL_FIELD
            ? "Entries per second at level error (as the collector normalized each program's own level word)."
            : "Entries per second at level error (as Loki detected it: the services' log formats are not declared to this stack's collector).",
        )
        .datasource(ds)
        .withTarget(target(`sum by (${SERVICE_LABEL}) (rate(${errors} [$__auto]))`).legendFormat(`{{${SERVICE_LABEL}}}`))
        .unit('short')
        .legend(legend)
        .gridPos({ x: 12, y: 0, w: 12, h: 8 }),
    )
    .withPanel(
      new logs.PanelBuilder()
        .title('Logs')
        .datasource(ds)
        .withTarget(target(`${selector} ${search} ${level}`))
        .showTime(true)
        .wrapLogMessage(true)
        .enableLogDetails(true)
        .sortOrder(common.LogsSortOrder.Descending)
        .gridPos({ x: 0, y: 8, w: 24, h: 16 }),
    );
}
