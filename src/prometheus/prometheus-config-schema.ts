import { z } from 'zod';
import { httpClientFields, relabelConfigSchema, tlsConfigSchema } from './prometheus-common-schema.js';
import { isModelDuration } from '../core/go-duration.js';
import { parsePrometheusDuration } from './prometheus-duration.js';

/*
 * A strict schema of prometheus.yml (Prometheus 3.x, `config/config.go` and
 * prometheus/common's HTTP client config). Prometheus parses its file
 * strictly and refuses to start on an unknown key, so an override with a typo
 * must fail synthesis, not the container. Sections this library never writes
 * (service discovery other than file and static, remote storage auth) are
 * checked at the level of their key names only.
 */

const duration = z.string().refine(isModelDuration, 'must be a Prometheus duration such as 15s, 5m or 15d');
const size = z.union([z.literal(0), z.string().regex(/^\d+(?:[KMGTPE]i?)?B$/, 'must be a size with a unit, such as 512MB')]);
const count = z.number().int().nonnegative();
const labelName = z.string().min(1, 'a label name must not be empty');
const labelSet = z.record(labelName, z.string());
const scrapeProtocol = z.enum(['PrometheusProto', 'PrometheusText0.0.4', 'PrometheusText1.0.0', 'OpenMetricsText0.0.1', 'OpenMetricsText1.0.0']);
const validationScheme = z.enum(['legacy', 'utf8']);
const escapingScheme = z.enum(['allow-utf-8', 'underscores', 'dots', 'values']);

/** `host` or `host:port`: Prometheus rejects a URL (a scheme or a path) in a target. */
export const SCRAPE_TARGET_PATTERN = /^[^\s/]+$/;
const target = z.string().regex(SCRAPE_TARGET_PATTERN, "must be 'host:port' without a scheme or path (set scheme and metrics_path instead)");

const staticConfig = z.strictObject({
  targets: z.array(target),
  labels: labelSet.optional(),
});

const fileSdConfig = z.strictObject({
  files: z.array(z.string()).min(1, 'file_sd_configs needs at least one file'),
  refresh_interval: duration.optional(),
});

/** Service discovery mechanisms of Prometheus 3.5 (`<name>_sd_configs`), other than static and file. */
const OTHER_SD = [
  'azure',
  'consul',
  'digitalocean',
  'dns',
  'docker',
  'dockerswarm',
  'ec2',
  'eureka',
  'gce',
  'hetzner',
  'http',
  'ionos',
  'kubernetes',
  'kuma',
  'lightsail',
  'linode',
  'marathon',
  'nerve',
  'nomad',
  'openstack',
  'ovhcloud',
  'puppetdb',
  'scaleway',
  'serverset',
  'stackit',
  'triton',
  'uyuni',
  'vultr',
] as const;

const serviceDiscoveryFields = {
  static_configs: z.array(staticConfig).optional(),
  file_sd_configs: z.array(fileSdConfig).optional(),
  ...Object.fromEntries(OTHER_SD.map((n) => [`${n}_sd_configs`, z.array(z.looseObject({})).optional()])),
};

/** Limits shared by `global` and each scrape config. */
const limitFields = {
  body_size_limit: size.optional(),
  sample_limit: count.optional(),
  target_limit: count.optional(),
  label_limit: count.optional(),
  label_name_length_limit: count.optional(),
  label_value_length_limit: count.optional(),
  keep_dropped_targets: count.optional(),
  metric_name_validation_scheme: validationScheme.optional(),
  metric_name_escaping_scheme: escapingScheme.optional(),
  scrape_failure_log_file: z.string().optional(),
};

export const ScrapeConfigSchema = z.strictObject({
  job_name: z.string().min(1, 'a job needs a name'),
  honor_labels: z.boolean().optional(),
  honor_timestamps: z.boolean().optional(),
  track_timestamps_staleness: z.boolean().optional(),
  params: z.record(z.string(), z.array(z.string())).optional(),
  scrape_interval: duration.optional(),
  scrape_timeout: duration.optional(),
  scrape_protocols: z.array(scrapeProtocol).optional(),
  fallback_scrape_protocol: scrapeProtocol.optional(),
  always_scrape_classic_histograms: z.boolean().optional(),
  convert_classic_histograms_to_nhcb: z.boolean().optional(),
  metrics_path: z.string().startsWith('/', 'must start with /').optional(),
  scheme: z.enum(['http', 'https']).optional(),
  enable_compression: z.boolean().optional(),
  native_histogram_bucket_limit: count.optional(),
  native_histogram_min_bucket_factor: z.number().nonnegative().optional(),
  relabel_configs: z.array(relabelConfigSchema).optional(),
  metric_relabel_configs: z.array(relabelConfigSchema).optional(),
  ...limitFields,
  ...httpClientFields,
  ...serviceDiscoveryFields,
});

const alertmanagerConfig = z.strictObject({
  scheme: z.enum(['http', 'https']).optional(),
  path_prefix: z.string().optional(),
  timeout: duration.optional(),
  api_version: z.literal('v2').optional(),
  relabel_configs: z.array(relabelConfigSchema).optional(),
  alert_relabel_configs: z.array(relabelConfigSchema).optional(),
  sigv4: z.looseObject({}).optional(),
  ...httpClientFields,
  ...serviceDiscoveryFields,
});

const remoteWriteConfig = z.strictObject({
  url: z.url(),
  remote_timeout: duration.optional(),
  headers: z.record(z.string(), z.string()).optional(),
  write_relabel_configs: z.array(relabelConfigSchema).optional(),
  name: z.string().optional(),
  send_exemplars: z.boolean().optional(),
  send_native_histograms: z.boolean().optional(),
  round_robin_dns: z.boolean().optional(),
  protobuf_message: z.enum(['prometheus.WriteRequest', 'io.prometheus.write.v2.Request']).optional(),
  queue_config: z
    .strictObject({
      capacity: count.optional(),
      max_shards: count.optional(),
      min_shards: count.optional(),
      max_samples_per_send: count.optional(),
      batch_send_deadline: duration.optional(),
      min_backoff: duration.optional(),
      max_backoff: duration.optional(),
      retry_on_http_429: z.boolean().optional(),
      sample_age_limit: duration.optional(),
    })
    .optional(),
  metadata_config: z.strictObject({ send: z.boolean().optional(), send_interval: duration.optional(), max_samples_per_send: count.optional() }).optional(),
  sigv4: z.looseObject({}).optional(),
  azuread: z.looseObject({}).optional(),
  google_iam: z.looseObject({}).optional(),
  ...httpClientFields,
});

const remoteReadConfig = z.strictObject({
  url: z.url(),
  remote_timeout: duration.optional(),
  chunked_read_limit: count.optional(),
  headers: z.record(z.string(), z.string()).optional(),
  read_recent: z.boolean().optional(),
  name: z.string().optional(),
  required_matchers: labelSet.optional(),
  filter_external_labels: z.boolean().optional(),
  ...httpClientFields,
});

/** The whole of prometheus.yml. */
export const PrometheusConfigSchema = z.strictObject({
  global: z
    .strictObject({
      scrape_interval: duration.optional(),
      scrape_timeout: duration.optional(),
      scrape_protocols: z.array(scrapeProtocol).optional(),
      evaluation_interval: duration.optional(),
      rule_query_offset: duration.optional(),
      query_log_file: z.string().optional(),
      external_labels: labelSet.optional(),
      convert_classic_histograms_to_nhcb: z.boolean().optional(),
      always_scrape_classic_histograms: z.boolean().optional(),
      ...limitFields,
    })
    .optional(),
  runtime: z.strictObject({ gogc: z.number().int().optional() }).optional(),
  rule_files: z.array(z.string()).optional(),
  scrape_config_files: z.array(z.string()).optional(),
  scrape_configs: z.array(ScrapeConfigSchema).optional(),
  alerting: z
    .strictObject({
      alert_relabel_configs: z.array(relabelConfigSchema).optional(),
      alertmanagers: z.array(alertmanagerConfig).optional(),
    })
    .optional(),
  remote_write: z.array(remoteWriteConfig).optional(),
  remote_read: z.array(remoteReadConfig).optional(),
  storage: z
    .strictObject({
      tsdb: z.strictObject({ out_of_order_time_window: duration.optional() }).optional(),
      exemplars: z.strictObject({ max_exemplars: z.number().int().optional() }).optional(),
    })
    .optional(),
  otlp: z
    .strictObject({
      promote_all_resource_attributes: z.boolean().optional(),
      promote_resource_attributes: z.array(z.string()).optional(),
      ignore_resource_attributes: z.array(z.string()).optional(),
      translation_strategy: z.enum(['UnderscoreEscapingWithSuffixes', 'NoUTF8EscapingWithSuffixes', 'NoTranslation']).optional(),
      keep_identifying_resource_attributes: z.boolean().optional(),
      convert_histograms_to_nhcb: z.boolean().optional(),
    })
    .optional(),
  tracing: z
    .strictObject({
      client_type: z.enum(['grpc', 'http']).optional(),
      endpoint: z.string().optional(),
      sampling_fraction: z.number().min(0).max(1).optional(),
      insecure: z.boolean().optional(),
      tls_config: tlsConfigSchema.optional(),
      headers: z.record(z.string(), z.string()).optional(),
      compression: z.literal('gzip').optional(),
      timeout: duration.optional(),
    })
    .optional(),
});

/** The document type of prometheus.yml, as far as the schema describes it. */
export type PrometheusConfigDocument = z.infer<typeof PrometheusConfigSchema>;

/**
 * Checks a prometheus.yml document: the schema, then what Prometheus checks
 * when it loads the file (unique job names, scrape timeouts within the
 * interval). Returns one message per problem, each starting with its key path.
 */
export function checkPrometheusConfig(doc: unknown, options: { readonly duplicateJobsReported?: boolean } = {}): string[] {
  return prometheusConfigIssues(doc, options).map((i) => i.text);
}

/** {@link checkPrometheusConfig}, with the path of each schema issue in the document (none for a check of the whole). */
export function prometheusConfigIssues(
  doc: unknown,
  options: { readonly duplicateJobsReported?: boolean } = {},
): Array<{ readonly path?: readonly PropertyKey[]; readonly text: string }> {
  const parsed = PrometheusConfigSchema.safeParse(doc);
  if (!parsed.success) {
    return parsed.error.issues.map((i) => ({ path: i.path, text: `${i.path.length ? i.path.join('.') : '<root>'}: ${i.message}` }));
  }
  const cfg = parsed.data;
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const job of cfg.scrape_configs ?? []) {
    if (seen.has(job.job_name) && !options.duplicateJobsReported)
      problems.push(`scrape_configs: job name '${job.job_name}' is used twice; Prometheus refuses duplicate job names`);
    seen.add(job.job_name);
  }
  const ms = (d: string | undefined) => (d === undefined ? undefined : parsePrometheusDuration(d));
  const globalInterval = ms(cfg.global?.scrape_interval) ?? 60_000;
  const globalTimeout = ms(cfg.global?.scrape_timeout);
  if (globalTimeout !== undefined && globalTimeout > globalInterval) {
    problems.push('global: scrape_timeout is greater than scrape_interval; Prometheus refuses that');
  }
  for (const job of cfg.scrape_configs ?? []) {
    const timeout = ms(job.scrape_timeout);
    if (timeout !== undefined && timeout > (ms(job.scrape_interval) ?? globalInterval)) {
      problems.push(`scrape_configs: job '${job.job_name}' has a scrape_timeout greater than its scrape_interval; Prometheus refuses that`);
    }
  }
  return problems.map((text) => ({ text }));
}
