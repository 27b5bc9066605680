import { Construct } from 'constructs';
import { grafanaLogFormat } from '../log-format/program-formats.js';
import { z } from 'zod';
import { checkProps, propsSchema, recordFallback, recordProblem } from '../core/props.js';
import { secretValue, serviceMakerContext } from '../compose/service-props.js';
import { common } from '../core/value-schemas.js';
import { Healthcheck } from '../compose/healthcheck.js';
import { Secret } from '../compose/secret.js';
import { Service } from '../compose/service.js';
import { Volume } from '../compose/volume.js';
import { Duration } from '../core/duration.js';
import { Size } from '../core/size.js';
import { Stack } from '../core/stack.js';
import { probeUrl, unbracket } from '../services/listen-address.js';
import { AlertmanagerDatasource, AlertmanagerDatasourceProps } from './alertmanager-datasource.js';
import { ContainerMetricsDashboard, ContainerMetricsDashboardProps } from './container-metrics-dashboard.js';
import { Dashboard, DashboardProps, dashboardSchema, STAND_IN_DASHBOARD } from './dashboard.js';
import { Datasource, GrafanaHost, isGrafana, markGrafana, uniqueChildId } from './datasource-base.js';
import { DatasourcesFile } from './datasources-file.js';
import {
  checkMethodProps,
  alertmanagerDatasourceSchema,
  containerMetricsDashboardSchema,
  logsDashboardSchema,
  lokiDatasourceSchema,
  prometheusDatasourceSchema,
} from './grafana-props.js';
import { LogsDashboard, LogsDashboardProps } from './logs-dashboard.js';
import { LokiDatasource, LokiDatasourceProps } from './loki-datasource.js';
import { PrometheusDatasource, PrometheusDatasourceProps } from './prometheus-datasource.js';
import { configureSwarm } from '../swarm/swarm-settings.js';
import { baseNameOf } from '../core/derived-names.js';
import { checkedScope } from '../core/construct-args.js';

/** Default image: the Grafana line the provisioning files are written for. */
export const DEFAULT_GRAFANA_IMAGE = 'grafana/grafana:13.0.0';

/** Where the image reads provisioning files (its `paths.provisioning`). */
const PROVISIONING_PATH = '/etc/grafana/provisioning';
/** The image's data directory (SQLite database, plugins), owned by its uid 472. */
const DATA_PATH = '/var/lib/grafana';

/** The run-time schema of {@link GrafanaProps} (see core/props.ts). */
export const grafanaSchema = propsSchema<GrafanaProps>()(
  z.strictObject({
    ...common,
    adminUser: z
      .string()
      .refine((u) => u.trim() !== '', { message: "is empty: give the admin's login name (e.g. 'admin'), or leave it out" })
      .optional(),
    adminPassword: secretValue.optional(),
  }),
);

/** Props of a {@link Grafana}. */
export interface GrafanaProps {
  /** @default 'grafana/grafana:13.0.0' */
  readonly image?: string;
  /** Compose service name; also the directory of its generated files. @default 'grafana' */
  readonly serviceName?: string;
  /** HTTP port. @default 3000 */
  readonly port?: number;
  /** Name of the admin user created on first start. @default 'admin' */
  readonly adminUser?: string;
  /**
   * Password of the admin user. Grafana applies it when it creates its
   * database (first start); change it in the UI afterwards.
   * @default Secret.fromEnv('GRAFANA_ADMIN_PASSWORD'): the stack does not start without it
   */
  readonly adminPassword?: Secret;
  /** @default Size.mebibytes(512) */
  readonly memoryLimit?: Size;
}

/**
 * Grafana, provisioned from files: its datasources point at typed Loki and
 * Prometheus constructs, and its dashboards may only reference those
 * datasources, by fixed uid.
 */
export class Grafana extends Construct implements GrafanaHost {
  /** True for Grafana constructs, across copies of this library. */
  public static isGrafana(x: unknown): x is Grafana {
    return isGrafana(x) && x instanceof Construct;
  }

  public readonly service: Service;
  public readonly port: number;
  /** Named volume on /var/lib/grafana: users, preferences and annotations survive `down`/`up`. */
  public readonly dataVolume: Volume;
  public readonly provisioningDirectory: string;
  public readonly provisioningMountPath = PROVISIONING_PATH;
  /** The one datasources provisioning file. */
  public readonly datasourcesFile: DatasourcesFile;

  constructor(scope: Construct, id: string, props: GrafanaProps = {}) {
    super(checkedScope('Grafana', scope, id), id);
    markGrafana(this);
    props = checkProps(this, grafanaSchema, props, serviceMakerContext('Grafana', Object.keys(grafanaSchema.shape)));
    const stack = Stack.of(this);
    const serviceName = props.serviceName ?? 'grafana';
    // Files and volumes are named after the service; after 'grafana' when its name is wrong (reported by the Service).
    const baseName = baseNameOf(serviceName, 'grafana');
    this.port = props.port ?? 3000;
    this.provisioningDirectory = `${baseName}/provisioning`;
    this.dataVolume = new Volume(this, 'Data', { volumeName: `${baseName}-data` });
    this.service = new Service(this, 'Service', {
      image: props.image ?? DEFAULT_GRAFANA_IMAGE,
      serviceName,
      // Published under Swarm too (where that means every interface of every node): Grafana has its own login.
      ports: [{ containerPort: this.port, scheme: 'http', publish: true }],
      environment: {
        // On host networking Grafana listens on the host itself: only on the bind address.
        // Grafana joins http_addr and http_port itself: it takes a bare IPv6 address, not '[::1]'.
        GF_SERVER_HTTP_ADDR: unbracket(stack.listenAddress),
        GF_SERVER_HTTP_PORT: this.port,
        GF_SECURITY_ADMIN_USER: props.adminUser ?? 'admin',
        // Never a guessable default such as admin/admin.
        GF_SECURITY_ADMIN_PASSWORD:
          props.adminPassword ??
          Secret.fromEnv('GRAFANA_ADMIN_PASSWORD', 'set GRAFANA_ADMIN_PASSWORD (the Grafana admin password) in the environment or a .env file'),
        GF_USERS_ALLOW_SIGN_UP: false,
        // A local stack does not phone home: no usage reports, and no version checks of Grafana or of
        // its plugins (each a GET to grafana.com; [analytics] in Grafana's conf/defaults.ini).
        GF_ANALYTICS_REPORTING_ENABLED: false,
        GF_ANALYTICS_CHECK_FOR_UPDATES: false,
        GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES: false,
      },
      // The image has wget; /api/health needs no login and answers once the database is migrated.
      healthcheck: Healthcheck.wget(probeUrl(stack, this.port, '/api/health'), {
        interval: Duration.seconds(10),
        // The first start migrates the database, which can take a while on a slow disk.
        startPeriod: Duration.seconds(60),
      }),
      memoryLimit: props.memoryLimit ?? Size.mebibytes(512),
      logFormat: grafanaLogFormat(),
      metrics: { port: this.port, path: '/metrics' },
    });
    configureSwarm(this.service, {
      // grafana/grafana packaging/docker/run.sh reads every GF_* variable ending in __FILE from that file.
      secretFiles: { GF_SECURITY_ADMIN_PASSWORD: { variable: 'GF_SECURITY_ADMIN_PASSWORD__FILE' } },
    });
    this.service.addVolume(this.dataVolume, DATA_PATH);
    // Read-only: Grafana must not change its own provisioning; the generated files are the truth.
    this.service.mountGenerated(this.provisioningDirectory, PROVISIONING_PATH);
    // Created now so the provisioning directory is never empty (an empty datasource list is valid).
    this.datasourcesFile = DatasourcesFile.of(this);
    this.node.addValidation({ validate: () => this.validateDashboards() });
  }

  /** URL by which other services of the stack reach Grafana. */
  public get url(): string {
    return this.service.url(this.port);
  }

  /** URL by which a person on the host opens Grafana. */
  public get hostUrl(): string | undefined {
    return this.service.hostUrl(this.port);
  }

  /** The datasources this Grafana provisions, in the order they were added. */
  public get datasources(): readonly Datasource[] {
    return this.node.children.filter(Datasource.isDatasource);
  }

  /** The dashboards this Grafana provisions, in tree order. */
  public get dashboards(): readonly Dashboard[] {
    return Stack.of(this)
      .node.findAll()
      .filter((c): c is Dashboard => Dashboard.isDashboard(c) && c.grafana === this);
  }

  /** Provisions a Prometheus datasource (uid 'prometheus' by default). Grafana starts even if Prometheus does not. */
  public addPrometheusDatasource(props: PrometheusDatasourceProps): PrometheusDatasource {
    props = checkMethodProps(this, 'addPrometheusDatasource', prometheusDatasourceSchema, props);
    const ds = new PrometheusDatasource(this, props);
    // Without it (a stand-in, its problem recorded) there is nothing to depend on.
    if (ds.prometheus) this.service.addDependency(ds.prometheus.service, { required: false });
    return ds;
  }

  /**
   * Provisions a Loki datasource (uid 'loki' by default). With `metrics`, each
   * log line links to the CPU of its container. Grafana starts even if Loki does not.
   */
  public addLokiDatasource(props: LokiDatasourceProps): LokiDatasource {
    const given = props as Partial<LokiDatasourceProps> | undefined;
    props = checkMethodProps(this, 'addLokiDatasource', lokiDatasourceSchema, props);
    const ds = new LokiDatasource(this, props);
    // A wrong maxLines (recorded) is left out: its default is not checked against Loki's limit.
    if (given?.maxLines !== undefined && props.maxLines === undefined) recordFallback(ds, 'maxLines');
    return ds;
  }

  /** Provisions an Alertmanager datasource (uid 'alertmanager' by default). Grafana starts even if Alertmanager does not. */
  public addAlertmanagerDatasource(props: AlertmanagerDatasourceProps): AlertmanagerDatasource {
    props = checkMethodProps(this, 'addAlertmanagerDatasource', alertmanagerDatasourceSchema, props);
    const ds = new AlertmanagerDatasource(this, props);
    // Without it (a stand-in, its problem recorded) there is nothing to depend on.
    if (ds.alertmanager) this.service.addDependency(ds.alertmanager.service, { required: false });
    return ds;
  }

  /** Provisions a dashboard built with `@grafana/grafana-foundation-sdk`. */
  public addDashboard(id: string, props: Omit<DashboardProps, 'grafana'>): Dashboard {
    props = checkMethodProps(this, 'addDashboard', dashboardSchema.omit({ grafana: true }), props);
    // Without a usable dashboard (its problem recorded here), an empty one that Dashboard does not report again.
    return new Dashboard(this, id, { ...props, dashboard: props.dashboard ?? STAND_IN_DASHBOARD, grafana: this });
  }

  /** Provisions the logs dashboard of the stack's project. */
  public addLogsDashboard(props: LogsDashboardProps): LogsDashboard {
    props = checkMethodProps(this, 'addLogsDashboard', logsDashboardSchema, props);
    if (this.isFirst('LogsDashboard', 'a logs dashboard')) return new LogsDashboard(this, 'LogsDashboard', props);
    // A second one (its problem recorded): a stand-in without its datasource, checked for nothing.
    return new LogsDashboard(this, uniqueChildId(this, 'LogsDashboard'), { ...props, datasource: undefined as unknown as LokiDatasource });
  }

  /** Provisions the container metrics dashboard (cAdvisor) of the stack's project. */
  public addContainerMetricsDashboard(props: ContainerMetricsDashboardProps): ContainerMetricsDashboard {
    props = checkMethodProps(this, 'addContainerMetricsDashboard', containerMetricsDashboardSchema, props);
    if (this.isFirst('ContainerMetricsDashboard', 'a container metrics dashboard'))
      return new ContainerMetricsDashboard(this, 'ContainerMetricsDashboard', props);
    // A second one (its problem recorded): a stand-in without its datasource, checked for nothing.
    return new ContainerMetricsDashboard(this, uniqueChildId(this, 'ContainerMetricsDashboard'), {
      ...props,
      datasource: undefined as unknown as PrometheusDatasource,
    });
  }

  /** True when this Grafana has no child `id` yet; else records that it already has `what`. */
  private isFirst(id: string, what: string): boolean {
    if (!this.node.tryFindChild(id)) return true;
    recordProblem(this, `already has ${what}: add it once, or create another with new Dashboard(...)`);
    return false;
  }

  private validateDashboards(): string[] {
    const byUid = new Map<string, string[]>();
    for (const d of this.dashboards) {
      let uid: string | undefined;
      try {
        uid = d.uid;
      } catch {
        continue; // reported by the dashboard itself
      }
      if (uid !== undefined) byUid.set(uid, [...(byUid.get(uid) ?? []), d.node.path]);
    }
    return [...byUid]
      .filter(([, paths]) => paths.length > 1)
      .map(([uid, paths]) => `dashboard uid '${uid}' is used by ${paths.join(' and ')}: give each dashboard of a Grafana its own uid`);
  }
}
