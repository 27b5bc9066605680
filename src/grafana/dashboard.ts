import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type * as sdk from '@grafana/grafana-foundation-sdk/dashboard';
import { Construct } from 'constructs';
import { z } from 'zod';
import { didYouMean } from '../core/did-you-mean.js';
import { UserError } from '../core/errors.js';
import { DocumentFile, memoInRenderSession, standInFilePath } from '../core/generated-file.js';
import { instanceOf, parseProps, propsSchema, recordProblem } from '../core/props.js';
import { Stack } from '../core/stack.js';
import { DashboardProviderFile } from './dashboard-provider-file.js';
import { findGrafana, GrafanaHost, isGrafana, LokiLike, lokiQueryContext } from './datasource-base.js';
import { checkLogQL } from './logql.js';
import { checkPromQL } from './promql.js';
import { prometheusQueryContext, type PrometheusValueSource } from '../labels/prometheus-label-values.js';
import { scrapeRangeProblems } from '../labels/query-windows.js';
import { unknownVariables } from './template-variables.js';

const DASHBOARD = Symbol.for('aixcl-cdk.GrafanaDashboard');

/** A dashboard uid: Grafana allows at most 40 letters, digits, '-' and '_'. */
export const DASHBOARD_UID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;

/** A dashboard from `@grafana/grafana-foundation-sdk`: its `DashboardBuilder`, or the object it built. */
export type DashboardSource = cog.Builder<sdk.Dashboard> | sdk.Dashboard;

/**
 * @internal The dashboard of a stand-in: a Dashboard made in place of one whose props had a problem
 * (recorded where they were given), so that the program goes on. It is written empty and checked for
 * nothing, so no problem follows from it; its title lets it pass the props check when a subclass or
 * Grafana.addDashboard passes it in.
 */
export const STAND_IN_DASHBOARD: sdk.Dashboard = Object.freeze({ title: '' }) as sdk.Dashboard;

/** Props of a {@link Dashboard}. */
export interface DashboardProps {
  /**
   * The dashboard, made with `@grafana/grafana-foundation-sdk`
   * (`new dashboard.DashboardBuilder('Title').uid(...)...`). A builder is built
   * at synthesis, so panels added to it later are included.
   */
  readonly dashboard: DashboardSource;
  /**
   * File name in the Grafana's provisioning `dashboards` directory.
   * @default the construct id in kebab-case, with `.json`
   */
  readonly fileName?: string;
  /**
   * The Grafana that provisions the dashboard; its datasources are the only
   * ones the dashboard may reference.
   * @default the Grafana among the construct's scopes
   */
  readonly grafana?: GrafanaHost;
}

const dashboardSource = instanceOf<DashboardSource>(
  'a dashboard of @grafana/grafana-foundation-sdk (a DashboardBuilder, or what it built)',
  (v): v is DashboardSource =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && (typeof (v as { build?: unknown }).build === 'function' || 'title' in v || 'panels' in v),
  (v) =>
    typeof v === 'string'
      ? 'a dashboard JSON text is not read: build it with new dashboard.DashboardBuilder(title)'
      : "build it with new dashboard.DashboardBuilder('Title').uid('...') from @grafana/grafana-foundation-sdk/dashboard",
);

/** @internal The run-time schema of {@link DashboardProps} (see core/props.ts): here, not in grafana-props.ts, which needs {@link Dashboard}. */
export const dashboardSchema = propsSchema<DashboardProps>()(
  z.strictObject({
    dashboard: dashboardSource,
    fileName: z.string().optional(),
    grafana: instanceOf<GrafanaHost>('a Grafana', isGrafana, () => 'pass the Grafana construct').optional(),
  }),
);

// Grafana's own pseudo datasources, which need no provisioning.
const BUILT_IN_UIDS = new Set(['-- Grafana --', 'grafana', '-- Mixed --', '-- Dashboard --']);

/**
 * A dashboard JSON file provisioned into a Grafana. At synthesis it checks
 * what Grafana and Loki would only report at run time: every datasource
 * reference is the `{type, uid}` of a datasource the same Grafana provisions,
 * every Loki query is valid LogQL and every Prometheus query valid PromQL
 * (with its regexes compiled by Go's RE2, and its label names checked against
 * the series the tree knows), and every `$variable` is declared.
 * {@link addOverride} is the escape hatch; its result is checked too.
 */
export class Dashboard extends DocumentFile {
  public static isDashboard(x: unknown): x is Dashboard {
    return typeof x === 'object' && x !== null && DASHBOARD in x;
  }

  /** The Grafana that provisions this dashboard. */
  public readonly grafana: GrafanaHost;
  private readonly source: DashboardSource | undefined;
  private checking = true;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    // Checked before super() (the file path needs them); the problems are recorded once it exists. A
    // missing or wrong dashboard becomes the stand-in, so synthesis goes on and reports every problem.
    const checked = parseProps(dashboardSchema, props, { owner: 'Dashboard' }, { dashboard: STAND_IN_DASHBOARD });
    props = checked.props;
    const grafana = props.grafana ?? findGrafana(scope);
    // Where it cannot be provisioned (no Grafana, a Grafana of another stack, a file name Grafana
    // would not read), the problem is recorded and the dashboard goes on with a file of its own
    // (nothing is written), so that no other problem follows: without a Grafana of its stack it is
    // checked for nothing (its datasources are unknown), with a wrong file name its queries still are.
    const problems: string[] = [];
    let provisioned = true;
    if (!grafana) {
      problems.push('has no Grafana: create the dashboard inside a Grafana, or pass { grafana }');
      provisioned = false;
    } else if (Stack.of(grafana) !== Stack.of(scope)) {
      problems.push(`its Grafana ${grafana.node.path} is in another stack: create the dashboard in the Grafana's stack`);
      provisioned = false;
    }
    const fileName = props.fileName ?? `${kebab(id)}.json`;
    const fileNameOk = /^[A-Za-z0-9._-]+\.json$/.test(fileName);
    if (!fileNameOk) problems.push(`file name '${fileName}' must be a plain name ending in .json (letters, digits, '.', '_', '-')`);
    // A stand-in (no usable dashboard, its problem recorded where it was given) has no file of the Grafana's either.
    const standIn = !provisioned || !fileNameOk || props.dashboard === STAND_IN_DASHBOARD;
    const path = scope.node.path ? `${scope.node.path}/${id}` : id;
    super(scope, id, { filePath: standIn ? standInFilePath(path, '.json') : `${grafana!.provisioningDirectory}/dashboards/${fileName}` });
    Object.defineProperty(this, DASHBOARD, { value: true });
    checked.report(this);
    problems.forEach((p) => recordProblem(this, p));
    this.grafana = grafana as GrafanaHost; // undefined when it has none (recorded)
    // Without a usable dashboard there is nothing to check: its problem is reported, not the empty stand-in's.
    this.source = props.dashboard === STAND_IN_DASHBOARD || !provisioned ? undefined : props.dashboard;
    if (provisioned) DashboardProviderFile.of(grafana!);
    this.node.addValidation({ validate: () => this.problems() });
  }

  /** The dashboard's uid in the final document (after overrides), if it has one. */
  public get uid(): string | undefined {
    const uid = this.finalDocument().uid;
    return typeof uid === 'string' ? uid : undefined;
  }

  protected buildDocument(): unknown {
    if (this.source === undefined) return {};
    const built = isBuilder(this.source) ? this.source.build() : this.source;
    // Plain JSON: drops undefined values and class instances the SDK may leave.
    return JSON.parse(JSON.stringify(built));
  }

  protected override checkDocument(doc: unknown): void {
    if (!this.checking || this.source === undefined) return;
    const problems = this.checked(doc as Json);
    // The same problems as validation's (one check of the same document): each a follow-on of the one
    // validation reported, left out then; reported when the file is rendered without validation.
    if (problems.length)
      this.failWithParts(
        '',
        problems.map((message) => ({ message, after: this.node.path })),
      );
  }

  /** The document after overrides, unchecked. */
  private finalDocument(): Json {
    this.checking = false;
    try {
      return this.document() as Json;
    } finally {
      this.checking = true;
    }
  }

  private problems(): string[] {
    if (this.source === undefined) return [];
    let doc: Json;
    try {
      doc = this.finalDocument();
    } catch (e) {
      if (UserError.isUserError(e)) return [e.message];
      throw e;
    }
    return this.checked(doc);
  }

  /**
   * {@link dashboardProblems} of a document, computed once per synthesis: a synthesis checks each
   * dashboard twice (validation, then the render's check of the final document), and parsing every
   * query again costs ~10 ms a dashboard.
   */
  private checked(doc: Json): string[] {
    // Within one render session only: the problems also depend on the rest of the tree (datasources,
    // the collector's labels), which a later synthesis may see changed.
    return [...memoInRenderSession(this, JSON.stringify(doc), () => dashboardProblems(doc, this.grafana))];
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

function isBuilder(x: DashboardSource): x is cog.Builder<sdk.Dashboard> {
  return typeof (x as { build?: unknown }).build === 'function';
}

function kebab(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
}

/** `a`, `a and b`, `a, b and c`; a query of a panel named before is `its query A`. */
function joinPlaces(places: readonly string[]): string {
  const named = places.map((p, i) => {
    const panel = places.slice(0, i).find((q) => p.startsWith(`${q}, `));
    return panel === undefined ? p : `its ${p.slice(panel.length + 2)}`;
  });
  return named.length === 1 ? named[0] : `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`;
}

function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function list(x: unknown): Json[] {
  return Array.isArray(x) ? x.filter(isObject) : [];
}

/** Every problem of a dashboard document, each a message naming the panel, query or variable. */
export function dashboardProblems(doc: Json, grafana: GrafanaHost): string[] {
  const problems: string[] = [];
  if (typeof doc.uid !== 'string' || doc.uid === '') {
    problems.push(`the dashboard has no uid: set one (.uid('...')), or Grafana makes up a new one on every start and links to it break`);
  } else if (!DASHBOARD_UID_PATTERN.test(doc.uid)) {
    problems.push(`dashboard uid '${doc.uid}' is invalid: use 1 to 40 letters, digits, '-' and '_'`);
  }
  if (typeof doc.title !== 'string' || doc.title.trim() === '') problems.push(`the dashboard has no title: set one`);

  const variables = list(doc.templating?.list);
  const names = variables.map((v) => v.name).filter((n): n is string => typeof n === 'string');
  const datasourceVariables = variables.filter((v) => v.type === 'datasource').map((v) => String(v.name));

  // One mistake, one message: a reference given to a panel and its queries (one object, often) is
  // reported once, naming every place, where it is first met.
  const grouped = new Map<string, { readonly index: number; readonly places: string[]; readonly message: (places: string) => string }>();
  const once = (key: string, where: string, message: (places: string) => string): void => {
    const g = grouped.get(key);
    if (g) g.places.push(where);
    else grouped.set(key, { index: problems.push('') - 1, places: [where], message });
  };

  /** Resolves a reference; returns the datasource type, or undefined when it cannot be known. */
  const resolve = (ref: unknown, where: string): string | undefined => {
    if (typeof ref === 'string') {
      once(
        `name\0${ref}`,
        where,
        (places) =>
          `${places} ${places.includes(' and ') ? 'reference' : 'references'} datasource '${ref}' by name: Grafana resolves names only by chance; write {type, uid} of a datasource this Grafana provisions: ${provisioned(grafana)}`,
      );
      return undefined;
    }
    if (!isObject(ref) || typeof ref.uid !== 'string') {
      problems.push(`${where} has a datasource reference without a uid: write {type, uid} of a datasource this Grafana provisions: ${provisioned(grafana)}`);
      return undefined;
    }
    const uid = ref.uid;
    if (BUILT_IN_UIDS.has(uid)) return typeof ref.type === 'string' ? ref.type : undefined;
    if (/^\$\{?DS_/.test(uid)) {
      problems.push(
        `${where} references datasource '${uid}', an import input that Grafana does not resolve for provisioned dashboards: write {type, uid} of a datasource this Grafana provisions: ${provisioned(grafana)}`,
      );
      return undefined;
    }
    const variable = /^\$\{?([A-Za-z0-9_]+)(?::[^}]*)?\}?$/.exec(uid);
    if (variable) {
      if (!datasourceVariables.includes(variable[1])) {
        problems.push(
          `${where} references datasource '${uid}', but the dashboard has no datasource variable named '${variable[1]}': declare it or write {type, uid}`,
        );
      }
      return undefined;
    }
    const ds = datasourceOf(grafana, ref);
    if (!ds) {
      once(
        `uid\0${uid}`,
        where,
        (places) => `references datasource uid '${uid}', which this Grafana does not provision: ${places} must use one of ${provisioned(grafana)}`,
      );
      return undefined;
    }
    if (ref.type !== ds.type) {
      problems.push(
        ref.type === undefined
          ? `${where} references datasource uid '${uid}' without its type: write {type: '${ds.type}', uid: '${uid}'}`
          : `${where} gives type '${ref.type}' for datasource uid '${uid}', which is a '${ds.type}' datasource: write {type: '${ds.type}', uid: '${uid}'}`,
      );
    }
    return ds.type;
  };

  const checkQuery = (type: string | undefined, expr: unknown, where: string, ref?: unknown): void => {
    if (typeof expr !== 'string') return;
    if (type === 'loki') {
      // Stream selectors are checked against the labels (and projects) the datasource's Loki receives.
      const ds = datasourceOf(grafana, ref);
      const p = checkLogQL(expr, { variables: names, ...lokiQueryContext((ds as { loki?: LokiLike } | undefined)?.loki) });
      if (p) problems.push(`${where}: ${p}`);
    } else if (type === 'prometheus') {
      // Label matchers are checked against the series of the Prometheus this datasource queries, where known.
      const ds = datasourceOf(grafana, ref);
      const prometheus = (ds as { prometheus?: PrometheusValueSource & { seriesLabels?(metric: string): readonly string[] | undefined } } | undefined)
        ?.prometheus;
      const p = checkPromQL(expr, { variables: names, ...prometheusQueryContext(prometheus) });
      if (p) problems.push(`${where}: ${p}`);
      // A fixed range under two scrapes of the pinned job's series draws nothing ($__rate_interval adapts; not judged).
      else for (const range of scrapeRangeProblems(expr, prometheus)) problems.push(`${where}: ${range}`);
    } else {
      // No parser for this datasource type: at least every variable must exist.
      for (const p of unknownVariables(expr, names)) problems.push(`${where}: ${p}`);
    }
  };

  const walkPanels = (panels: Json[]): void => {
    panels.forEach((panel, i) => {
      const where = `panel '${panel.title ?? `#${i + 1}`}'`;
      if (panel.type === 'row') {
        if (panel.datasource !== undefined && panel.datasource !== null) resolve(panel.datasource, where);
        walkPanels(list(panel.panels));
        return;
      }
      const hasPanelRef = panel.datasource !== undefined && panel.datasource !== null;
      const panelType = hasPanelRef ? resolve(panel.datasource, where) : undefined;
      list(panel.targets).forEach((target, j) => {
        const tw = `${where}, query ${target.refId ?? String.fromCharCode(65 + j)}`;
        let type = panelType;
        let ref: unknown = panel.datasource;
        if (target.datasource !== undefined && target.datasource !== null) {
          type = resolve(target.datasource, tw);
          ref = target.datasource;
        } else if (!hasPanelRef) {
          problems.push(
            `${tw} has no datasource, so Grafana would use whatever is the default: set {type, uid} of a datasource this Grafana provisions: ${provisioned(grafana)}`,
          );
        }
        checkQuery(type, target.expr, tw, ref);
      });
    });
  };
  walkPanels(list(doc.panels));

  for (const v of variables) {
    const where = `variable '$${v.name}'`;
    if (v.datasource === undefined || v.datasource === null) {
      if (v.type === 'query')
        problems.push(`${where} is a query variable without a datasource: set {type, uid} of a datasource this Grafana provisions: ${provisioned(grafana)}`);
      continue;
    }
    const type = resolve(v.datasource, where);
    if (type === 'loki' && isObject(v.query) && typeof v.query.label === 'string') {
      // A label-values variable lists the values of a stream label: one no stream has lists nothing.
      const ds = datasourceOf(grafana, v.datasource) as { loki?: LokiLike } | undefined;
      const labels = ds?.loki?.streamLabels?.();
      if (labels && !labels.includes(v.query.label)) {
        problems.push(
          `${where} lists the values of label '${v.query.label}', which no stream in ${ds!.loki!.node.path} has (its collectors set ${labels.join(', ')})${didYouMean(v.query.label, labels) ?? ''}`,
        );
      }
    }
    if (type === 'loki' && isObject(v.query) && typeof v.query.stream === 'string' && v.query.stream !== '') {
      checkQuery(type, v.query.stream, where, v.datasource);
    } else if (type !== undefined && type !== 'loki' && typeof v.query === 'string') {
      checkQuery(
        type === 'prometheus' && /^\s*(label_values|label_names|metrics|query_result)\s*\(/.test(v.query) ? undefined : type,
        v.query,
        where,
        v.datasource,
      );
    }
  }

  for (const a of list(doc.annotations?.list)) {
    if (a.datasource !== undefined && a.datasource !== null) resolve(a.datasource, `annotation '${a.name ?? '?'}'`);
  }
  for (const g of grouped.values()) problems[g.index] = g.message(joinPlaces(g.places));
  return problems;
}

/**
 * The datasource a `{type, uid}` reference names. Of two with one uid (a stand-in, whose problem is
 * recorded), the one of the type given, so that the dashboard's own checks add no problem.
 */
function datasourceOf(grafana: GrafanaHost, ref: unknown): GrafanaHost['datasources'][number] | undefined {
  if (!isObject(ref)) return undefined;
  return grafana.datasources.find((d) => d.uid === ref.uid && d.type === ref.type) ?? grafana.datasources.find((d) => d.uid === ref.uid);
}

function provisioned(grafana: GrafanaHost): string {
  if (grafana.datasources.length === 0) return '(none yet: add one with addLokiDatasource or addPrometheusDatasource)';
  return grafana.datasources.map((d) => `{type: '${d.type}', uid: '${d.uid}'}`).join(', ');
}
