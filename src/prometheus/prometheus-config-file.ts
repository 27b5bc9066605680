import { Construct, type IConstruct } from 'constructs';
import { Service } from '../compose/service.js';
import { Duration } from '../core/duration.js';
import { DocumentFile } from '../core/generated-file.js';
import { SERVICE_NAME_PATTERN } from '../core/name-patterns.js';
import { Stack } from '../core/stack.js';
import { Target } from '../core/target.js';
import { swarmSettingsOf } from '../swarm/swarm-settings.js';
import { joinHostPort } from '../services/listen-address.js';
import { isMetricCatalog, TARGET_LABELS } from './metric-catalog.js';
import { prometheusConfigIssues, SCRAPE_TARGET_PATTERN } from './prometheus-config-schema.js';
import { toPrometheusDuration } from './prometheus-duration.js';

/** A scrape job for targets outside the stack (the stack's own services are scraped through `ServiceProps.metrics`). */
export interface ScrapeJob {
  /** The job name, which becomes the `job` label of every series. */
  readonly jobName: string;
  /** `host:port` of each target, without a scheme or path. */
  readonly targets: readonly string[];
  /** @default '/metrics' */
  readonly metricsPath?: string;
  /** @default 'http' */
  readonly scheme?: 'http' | 'https';
  /** @default the global scrape interval */
  readonly scrapeInterval?: Duration;
  /** Labels added to every series of the job. @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A scrape job as it will be written, with the construct it comes from. */
export interface ResolvedScrapeJob extends ScrapeJob {
  readonly metricsPath: string;
  /** Path of the construct that asked for the job (a service, or the config file for {@link PrometheusConfigFile.addScrapeJob}). */
  readonly source: string;
  /**
   * Under Swarm, a service with a task on every node: each task is found through Docker's DNS name
   * `tasks.<service>` (one A record per task, whatever the service's endpoint mode).
   */
  readonly everyTask?: { readonly dnsName: string; readonly port: number };
  /**
   * True when the targets are built from a service name its Service reports as wrong: a problem of
   * the targets would be a follow-on of that one.
   */
  readonly targetsFromWrongName?: boolean;
}

/** Props of a {@link PrometheusConfigFile}. */
export interface PrometheusConfigFileProps {
  /** @default 'prometheus/prometheus.yml' */
  readonly filePath?: string;
  /** How often targets are scraped. @default Duration.seconds(15) */
  readonly scrapeInterval?: Duration;
  /** How often rules are evaluated. @default Duration.seconds(15) */
  readonly evaluationInterval?: Duration;
  /** Paths (globs) of rule files, read when the file is rendered. @default none */
  readonly ruleFiles?: () => readonly string[];
  /** `host:port` of the Alertmanagers alerts go to, read when the file is rendered. @default none */
  readonly alertmanagers?: () => readonly string[];
}

/**
 * Prometheus's `prometheus.yml`. Its scrape jobs are derived when the stack
 * is synthesized from every service of the stack that declares `metrics`, so
 * a service added later (by anyone) is scraped without editing a list here.
 */
export class PrometheusConfigFile extends DocumentFile {
  public readonly scrapeInterval: Duration;
  public readonly evaluationInterval: Duration;
  private readonly extraJobs: ScrapeJob[] = [];
  private readonly ruleFiles: () => readonly string[];
  private readonly alertmanagers: () => readonly string[];

  constructor(scope: Construct, id: string, props: PrometheusConfigFileProps = {}) {
    super(scope, id, { filePath: props.filePath ?? 'prometheus/prometheus.yml' });
    this.scrapeInterval = props.scrapeInterval ?? Duration.seconds(15);
    this.evaluationInterval = props.evaluationInterval ?? Duration.seconds(15);
    this.ruleFiles = props.ruleFiles ?? (() => []);
    this.alertmanagers = props.alertmanagers ?? (() => []);
    this.node.addValidation({ validate: () => this.validateJobs() });
  }

  /** Scrapes targets outside the stack (e.g. an exporter on another host). */
  public addScrapeJob(job: ScrapeJob): void {
    this.extraJobs.push({ ...job, targets: [...job.targets], labels: job.labels ? { ...job.labels } : undefined });
  }

  /** Every scrape job, derived from the stack's services and added, sorted by job name. */
  public get scrapeJobs(): ResolvedScrapeJob[] {
    const stack = Stack.of(this);
    const derived: ResolvedScrapeJob[] = stack.node
      .findAll()
      .filter((c): c is Service => Service.isService(c) && c.stack === stack && c.metrics !== undefined)
      .map((s) => ({
        jobName: s.metrics!.jobName ?? s.serviceName,
        // The hostname follows the networking: localhost on host networking, the service name on a bridge.
        targets: [joinHostPort(s.hostname, s.metrics!.port)],
        metricsPath: s.metrics!.path ?? '/metrics',
        source: s.node.path,
        ...(SERVICE_NAME_PATTERN.test(s.serviceName) ? {} : { targetsFromWrongName: true }),
        ...(stack.target === Target.SWARM && swarmSettingsOf(s).global ? { everyTask: { dnsName: `tasks.${s.serviceName}`, port: s.metrics!.port } } : {}),
      }));
    const added = this.extraJobs.map((j) => ({ ...j, metricsPath: j.metricsPath ?? '/metrics', source: this.node.path }));
    return [...derived, ...added].sort((a, b) => cmp(a.jobName, b.jobName) || cmp(a.source, b.source));
  }

  /**
   * The label names of a metric's series as stored by this Prometheus, where
   * the tree knows them: the exported labels (from the scraped service's
   * owner, a {@link MetricCatalog} such as cAdvisor), the target labels and
   * the job's static labels. Undefined when no scraped service is known to
   * export the metric.
   */
  public seriesLabels(metric: string): readonly string[] | undefined {
    const stack = Stack.of(this);
    const labels = new Set<string>();
    let known = false;
    for (const s of stack.node.findAll()) {
      if (!Service.isService(s) || s.stack !== stack || s.metrics === undefined) continue;
      const owner = s.node.scope;
      const exported = isMetricCatalog(owner) ? owner.metricSeriesLabels(metric) : undefined;
      if (!exported) continue;
      known = true;
      for (const l of exported) labels.add(l);
    }
    if (!known) return undefined;
    for (const l of TARGET_LABELS) labels.add(l);
    return [...labels];
  }

  protected buildDocument(): unknown {
    const ruleFiles = this.ruleFiles();
    const alertmanagers = this.alertmanagers();
    return {
      global: {
        scrape_interval: toPrometheusDuration(this.scrapeInterval),
        evaluation_interval: toPrometheusDuration(this.evaluationInterval),
      },
      ...(ruleFiles.length ? { rule_files: [...ruleFiles] } : {}),
      ...(alertmanagers.length ? { alerting: { alertmanagers: [{ static_configs: [{ targets: [...alertmanagers] }] }] } } : {}),
      scrape_configs: this.scrapeJobs.map((j) => ({
        job_name: j.jobName,
        ...(j.scrapeInterval ? { scrape_interval: toPrometheusDuration(j.scrapeInterval) } : {}),
        metrics_path: j.metricsPath,
        ...(j.scheme ? { scheme: j.scheme } : {}),
        ...(j.everyTask
          ? { dns_sd_configs: [{ names: [j.everyTask.dnsName], type: 'A', port: j.everyTask.port }] }
          : { static_configs: [{ targets: [...j.targets], ...(j.labels && Object.keys(j.labels).length ? { labels: sortKeys(j.labels) } : {}) }] }),
      })),
    };
  }

  protected override checkDocument(doc: unknown): void {
    // Duplicates among the typed jobs are already reported by validation, naming where each comes from.
    const names = this.scrapeJobs.map((j) => j.jobName);
    const issues = prometheusConfigIssues(doc, { duplicateJobsReported: new Set(names).size !== names.length });
    if (issues.length) this.failWithIssues(`prometheus.yml would not load in Prometheus${this.hasOverrides ? ' (check overrides)' : ''}`, issues);
  }

  /** A scrape job comes from the construct that declared it (a service's metrics, or addScrapeJob here): its checks report a mistake in it there. */
  protected override sourceOf(path: readonly PropertyKey[]): IConstruct | undefined {
    if (path[0] !== 'scrape_configs' || typeof path[1] !== 'number') return undefined;
    const source = this.scrapeJobs[path[1]]?.source;
    return source === undefined
      ? undefined
      : Stack.of(this)
          .node.findAll()
          .find((c) => c.node.path === source);
  }

  private validateJobs(): string[] {
    const errors: string[] = [];
    const jobs = this.scrapeJobs;
    const byName = new Map<string, string[]>();
    for (const j of jobs) byName.set(j.jobName, [...(byName.get(j.jobName) ?? []), j.source]);
    for (const [name, sources] of byName) {
      if (sources.length > 1) {
        errors.push(
          `scrape job '${name}' is defined by ${sources.join(' and ')}: job names must be unique; give one a different metrics.jobName (or addScrapeJob jobName)`,
        );
      }
    }
    for (const j of jobs) {
      const at = j.source === this.node.path ? '' : `[${j.source}] `;
      if (j.jobName.length === 0) errors.push(`${at}a scrape job has an empty name: give it a jobName`);
      if (!j.metricsPath.startsWith('/')) errors.push(`${at}metrics path '${j.metricsPath}' of job '${j.jobName}' must start with '/'`);
      if (j.targets.length === 0) errors.push(`${at}scrape job '${j.jobName}' has no targets: give it at least one 'host:port'`);
      for (const t of j.targetsFromWrongName ? [] : j.targets) {
        if (!SCRAPE_TARGET_PATTERN.test(t)) {
          errors.push(`${at}target '${t}' of job '${j.jobName}' must be 'host:port' without a scheme or path: use scheme and metricsPath for those`);
        }
      }
      if (j.scrapeInterval && j.scrapeInterval.milliseconds < 1000) {
        errors.push(`${at}scrape interval of job '${j.jobName}' is below 1s: use at least Duration.seconds(1)`);
      }
    }
    for (const [what, d] of [
      ['scrapeInterval', this.scrapeInterval],
      ['evaluationInterval', this.evaluationInterval],
    ] as const) {
      if (d.milliseconds < 1000) errors.push(`${what} ${d.toGoString()} is below 1s: use at least Duration.seconds(1)`);
    }
    return errors;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortKeys(o: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => cmp(a, b)));
}
