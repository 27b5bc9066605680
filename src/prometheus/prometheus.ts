import { Construct, IConstruct } from 'constructs';
import { prometheusLogFormat } from '../log-format/program-formats.js';
import { z } from 'zod';
import { checkProps, propsSchema } from '../core/props.js';
import { serviceMakerContext } from '../compose/service-props.js';
import { common, durationValue } from '../core/value-schemas.js';
import { Healthcheck } from '../compose/healthcheck.js';
import { Service } from '../compose/service.js';
import { Volume } from '../compose/volume.js';
import { Duration } from '../core/duration.js';
import { Size } from '../core/size.js';
import { Stack } from '../core/stack.js';
import { listenHostPort, probeUrl } from '../services/listen-address.js';
import { PrometheusConfigFile, ScrapeJob } from './prometheus-config-file.js';
import { toPrometheusDuration } from './prometheus-duration.js';
import { configureSwarm } from '../swarm/swarm-settings.js';
import { baseNameOf } from '../core/derived-names.js';
import { checkedScope } from '../core/construct-args.js';

/** Where the config file is mounted; `--config.file` points here. */
const CONFIG_PATH = '/etc/prometheus/prometheus.yml';
/** Where the rule files are mounted; `rule_files` points here. */
const RULES_PATH = '/etc/prometheus/rules';
/** The image's data directory, owned by its `nobody` user. */
const DATA_PATH = '/prometheus';

/** The run-time schema of {@link PrometheusProps} (see core/props.ts). */
export const prometheusSchema = propsSchema<PrometheusProps>()(
  z.strictObject({
    ...common,
    retention: durationValue.optional(),
    scrapeInterval: durationValue.optional(),
    evaluationInterval: durationValue.optional(),
  }),
);

/** An Alertmanager that Prometheus sends alerts to (the `Alertmanager` construct). */
export interface AlertmanagerEndpoint extends IConstruct {
  /** `host:port` by which services of the stack reach it. */
  readonly hostPort: string;
}

/** Props of {@link Prometheus}. */
export interface PrometheusProps {
  /** @default 'prom/prometheus:v3.5.0' */
  readonly image?: string;
  /** @default 'prometheus' */
  readonly serviceName?: string;
  /** @default 9090 */
  readonly port?: number;
  /** How long samples are kept. @default Duration.days(15) */
  readonly retention?: Duration;
  /** How often targets are scraped. @default Duration.seconds(15) */
  readonly scrapeInterval?: Duration;
  /** How often rules are evaluated. @default Duration.seconds(15) */
  readonly evaluationInterval?: Duration;
  /** @default Size.gibibytes(1) */
  readonly memoryLimit?: Size;
}

/**
 * Prometheus, scraping every service of its stack that declares `metrics`
 * (itself included): the scrape jobs are derived at synthesis, never listed
 * by hand.
 */
export class Prometheus extends Construct {
  public readonly service: Service;
  public readonly config: PrometheusConfigFile;
  public readonly dataVolume: Volume;
  public readonly port: number;
  public readonly retention: Duration;
  /** Alertmanagers the alerts of its rules go to. */
  private readonly alertTargets: AlertmanagerEndpoint[] = [];
  private readonly ruleGroupList: IConstruct[] = [];
  /** The command line; read when the compose file is rendered, so flags turned on later still count. */
  private readonly commandLine: string[];

  constructor(scope: Construct, id: string, props: PrometheusProps = {}) {
    super(checkedScope('Prometheus', scope, id), id);
    props = checkProps(this, prometheusSchema, props, serviceMakerContext('Prometheus', Object.keys(prometheusSchema.shape)));
    const stack = Stack.of(this);
    const serviceName = props.serviceName ?? 'prometheus';
    // Files and volumes are named after the service; after 'prometheus' when its name is wrong (reported by the Service).
    const baseName = baseNameOf(serviceName, 'prometheus');
    this.port = props.port ?? 9090;
    this.retention = props.retention ?? Duration.days(15);
    this.config = new PrometheusConfigFile(this, 'Config', {
      filePath: `${baseName}/prometheus.yml`,
      scrapeInterval: props.scrapeInterval,
      evaluationInterval: props.evaluationInterval,
      ruleFiles: () => (this.ruleGroupList.length ? [`${RULES_PATH}/*.yml`] : []),
      alertmanagers: () => this.alertTargets.map((a) => a.hostPort),
    });
    this.dataVolume = new Volume(this, 'Data', { volumeName: `${baseName}-data` });
    this.commandLine = [
      `--config.file=${CONFIG_PATH}`,
      `--storage.tsdb.path=${DATA_PATH}`,
      `--storage.tsdb.retention.time=${toPrometheusDuration(this.retention)}`,
      `--web.listen-address=${listenHostPort(stack, this.port)}`,
      // No --web.enable-lifecycle: a changed config recreates the container (config hash label) instead.
    ];
    this.service = new Service(this, 'Service', {
      image: props.image ?? 'prom/prometheus:v3.5.0',
      serviceName,
      command: this.commandLine,
      ports: [{ containerPort: this.port, scheme: 'http' }],
      // The image is busybox-based: wget is there. /-/ready turns 200 once the TSDB is open.
      healthcheck: Healthcheck.wget(probeUrl(stack, this.port, '/-/ready'), {
        interval: Duration.seconds(10),
        startPeriod: Duration.seconds(30),
      }),
      memoryLimit: props.memoryLimit ?? Size.gibibytes(1),
      logFormat: prometheusLogFormat(),
      metrics: { port: this.port, path: '/metrics' },
    });
    configureSwarm(this.service, {
      unauthenticated:
        'Prometheus has no authentication (anyone who reaches it can read every metric and the targets): remove the published port (Grafana reaches it over the overlay network), or put an authenticating reverse proxy in front of it and publish that instead',
    });
    this.service.addVolume(this.dataVolume, DATA_PATH);
    this.service.mountGenerated(this.config, CONFIG_PATH);
    this.node.addValidation({
      validate: () =>
        this.retention.milliseconds < 3_600_000
          ? [`retention ${this.retention.toGoString()} is below one hour: keep at least Duration.hours(1) (Prometheus writes 2h blocks)`]
          : [],
    });
  }

  /** URL by which other services of the stack (e.g. Grafana) reach Prometheus. */
  public get url(): string {
    return this.service.url(this.port);
  }

  /** The label names of a metric's series, where the tree knows them (see {@link PrometheusConfigFile.seriesLabels}). */
  public seriesLabels(metric: string): readonly string[] | undefined {
    return this.config.seriesLabels(metric);
  }

  /**
   * Turns on Prometheus's remote-write receiver (`--web.enable-remote-write-receiver`,
   * off by default; docs/command-line/prometheus.md) and returns its endpoint,
   * `/api/v1/write`, for a sender of the stack such as Loki's ruler.
   */
  public acceptRemoteWrite(): string {
    const flag = '--web.enable-remote-write-receiver';
    if (!this.commandLine.includes(flag)) {
      this.commandLine.push(flag);
      this.service._addCommandArgs(flag);
    }
    return this.service.url(this.port, '/api/v1/write');
  }

  /** True when it sends the alerts of its rules to an Alertmanager. */
  public get sendsAlerts(): boolean {
    return this.alertTargets.length > 0;
  }

  /** Sends the alerts of its rule groups to an Alertmanager of the stack. */
  public sendAlertsTo(alertmanager: AlertmanagerEndpoint): void {
    if (!this.alertTargets.includes(alertmanager)) this.alertTargets.push(alertmanager);
  }

  /** Directory (in the output) of its rule files, mounted where `rule_files` points. */
  public get rulesDirectory(): string {
    return `${baseNameOf(this.service.serviceName, 'prometheus')}/rules`;
  }

  /** Records a rule group it evaluates (a PrometheusRuleGroup calls this with itself). */
  public registerRuleGroup(group: IConstruct): void {
    if (this.ruleGroupList.includes(group)) return;
    // Mounted with the first group only: Docker would create a missing source directory as root.
    if (this.ruleGroupList.length === 0) this.service.mountGenerated(this.rulesDirectory, RULES_PATH);
    this.ruleGroupList.push(group);
  }

  /** Scrapes targets outside the stack; the stack's services are scraped through `ServiceProps.metrics`. */
  public addScrapeJob(job: ScrapeJob): void {
    this.config.addScrapeJob(job);
  }
}
