import { z } from 'zod';
import { httpClientFields, relabelConfigSchema } from '../prometheus/prometheus-common-schema.js';
import { pipelineRegexProblems } from './pipeline-regexes.js';
import { PromtailServerSchema } from './promtail-server-schema.js';
import { PipelineStageSchema } from './promtail-stage-schema.js';
import { anyBlock, goDuration, labelName, port, promDuration } from './promtail-value-schemas.js';

/*
 * Promtail reads its YAML strictly (unknown keys fail startup), so the schema
 * is strict too: an override with a typo fails synthesis instead of the
 * container. Keys follow Promtail 3.6 (clients/pkg/promtail/config and the
 * configuration reference); the `server` block derives from Loki's reference
 * (see promtail-server-schema.ts). Blocks this library does not generate
 * (other discovery mechanisms and targets) are checked for their shape only;
 * pipeline stages are checked by promtail-stage-schema.ts.
 */

/** One entry of `clients`. */
export const PromtailClientSchema = z.strictObject({
  url: z
    .string()
    .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), 'expected an http(s) URL')
    .refine((u) => u.replace(/\/+$/, '').endsWith('/loki/api/v1/push'), {
      message: "must be Loki's push endpoint, ending in /loki/api/v1/push",
    }),
  headers: z.record(z.string(), z.string()).optional(),
  tenant_id: z.string().optional(),
  // Names the client in Promtail's metrics (clients/pkg/promtail/client/config.go).
  name: z.string().optional(),
  batchwait: goDuration.optional(),
  batchsize: z.int().min(1).optional(),
  backoff_config: z
    .strictObject({
      min_period: goDuration.optional(),
      max_period: goDuration.optional(),
      max_retries: z.int().min(0).optional(),
    })
    .optional(),
  drop_rate_limited_batches: z.boolean().optional(),
  external_labels: z.record(labelName, z.string()).optional(),
  timeout: goDuration.optional(),
  ...httpClientFields,
});

/** The `positions` block. */
export const PromtailPositionsSchema = z.strictObject({
  filename: z.string().min(1).optional(),
  sync_period: goDuration.optional(),
  ignore_invalid_yaml: z.boolean().optional(),
});

/** One entry of `docker_sd_configs` (Prometheus' Docker discovery). */
export const DockerSdConfigSchema = z.strictObject({
  host: z.string().regex(/^(unix|tcp|http|https):\/\/\S+$/, 'expected a Docker host such as unix:///var/run/docker.sock'),
  port: port.optional(),
  host_networking_host: z.string().optional(),
  match_first_network: z.boolean().optional(),
  filters: z.array(z.strictObject({ name: z.string().min(1), values: z.array(z.string()).min(1) })).optional(),
  refresh_interval: promDuration.optional(),
  ...httpClientFields,
});

/** One entry of `relabel_configs` (Prometheus relabelling). */
/** A relabel rule (Promtail reads Prometheus' own relabel config). */
export const RelabelConfigSchema = relabelConfigSchema;

/** Prometheus service discoveries Promtail 3.6's scrape config inlines (besides docker_sd_configs, modeled above). */
const SERVICE_DISCOVERIES = [
  'static_configs',
  'dns_sd_configs',
  'file_sd_configs',
  'consul_sd_configs',
  'consulagent_sd_configs',
  'digitalocean_sd_configs',
  'dockerswarm_sd_configs',
  'serverset_sd_configs',
  'nerve_sd_configs',
  'marathon_sd_configs',
  'kubernetes_sd_configs',
  'gce_sd_configs',
  'ec2_sd_configs',
  'openstack_sd_configs',
  'azure_sd_configs',
  'triton_sd_configs',
] as const;

/** Push and pull targets of a scrape config, other than discovery. */
const TARGETS = ['journal', 'syslog', 'gcplog', 'loki_push_api', 'windows_events', 'kafka', 'azure_event_hubs', 'gelf', 'cloudflare', 'heroku_drain'] as const;

/** One entry of `scrape_configs`: the fields of Promtail 3.6's scrape config (clients/pkg/promtail/scrapeconfig). */
export const PromtailScrapeConfigSchema = z.strictObject({
  job_name: z.string().min(1),
  pipeline_stages: z.array(PipelineStageSchema).optional(),
  ...Object.fromEntries(TARGETS.map((k) => [k, anyBlock.optional()])),
  relabel_configs: z.array(RelabelConfigSchema).optional(),
  docker_sd_configs: z.array(DockerSdConfigSchema).optional(),
  ...Object.fromEntries(SERVICE_DISCOVERIES.map((k) => [k, z.array(anyBlock).optional()])),
  encoding: z.string().optional(),
  // Fields without a yaml tag, so yaml.v2 reads them lower-cased.
  decompression: z.strictObject({ enabled: z.boolean().optional(), initial_delay: goDuration.optional(), format: z.string().optional() }).optional(),
});

/** The whole Promtail configuration file. */
export const PromtailConfigSchema = z
  .strictObject({
    global: z
      .strictObject({
        file_watch_config: z.strictObject({ min_poll_frequency: goDuration.optional(), max_poll_frequency: goDuration.optional() }).optional(),
      })
      .optional(),
    server: PromtailServerSchema.optional(),
    clients: z.array(PromtailClientSchema).optional(),
    // Deprecated single client, still read by Promtail 3.6 (added to `clients`).
    client: PromtailClientSchema.optional(),
    positions: PromtailPositionsSchema.optional(),
    scrape_configs: z.array(PromtailScrapeConfigSchema).optional(),
    limits_config: z
      .strictObject({
        readline_rate_enabled: z.boolean().optional(),
        readline_rate: z.number().min(0).optional(),
        readline_burst: z.int().min(0).optional(),
        readline_rate_drop: z.boolean().optional(),
        max_streams: z.int().min(0).optional(),
        max_line_size: z.union([z.int().min(0), z.string()]).optional(),
        max_line_size_truncate: z.boolean().optional(),
      })
      .optional(),
    target_config: z.strictObject({ sync_period: goDuration.optional(), stdin: z.boolean().optional() }).optional(),
    // Promtail 3.x has no options left in this block; only an empty one is valid.
    options: z.strictObject({}).optional(),
    tracing: z.strictObject({ enabled: z.boolean().optional() }).optional(),
    wal: z
      .strictObject({
        enabled: z.boolean().optional(),
        dir: z.string().optional(),
        cleanSegmentsOlderThan: goDuration.optional(),
        watchConfig: z.strictObject({ minReadFrequency: goDuration.optional(), maxReadFrequency: goDuration.optional() }).optional(),
      })
      .optional(),
  })
  .superRefine((c, ctx) => {
    if ((c.clients?.length ?? 0) === 0 && !c.client) {
      ctx.addIssue({ code: 'custom', message: 'Promtail needs at least one client (a Loki push URL)', path: ['clients'] });
    }
    // Promtail refuses two scrape configs with the same job name.
    const seen = new Set<string>();
    (c.scrape_configs ?? []).forEach((s, i) => {
      for (const p of pipelineRegexProblems(s.pipeline_stages)) {
        ctx.addIssue({ code: 'custom', message: p.message, path: ['scrape_configs', i, 'pipeline_stages', ...p.path] });
      }
      if (seen.has(s.job_name)) {
        ctx.addIssue({ code: 'custom', message: `job_name '${s.job_name}' is used twice`, path: ['scrape_configs', i, 'job_name'] });
      }
      seen.add(s.job_name);
    });
  });

/** A Promtail configuration document. */
export type PromtailConfig = z.infer<typeof PromtailConfigSchema>;

/** Checks a document against {@link PromtailConfigSchema}; returns one `path: message` line per problem. */
export function checkPromtailConfig(doc: unknown): string[] {
  return promtailConfigIssues(doc).map((i) => i.text);
}

/** {@link checkPromtailConfig}, with the path of each issue in the document. */
export function promtailConfigIssues(doc: unknown): Array<{ readonly path: readonly PropertyKey[]; readonly text: string }> {
  const result = PromtailConfigSchema.safeParse(doc);
  if (result.success) return [];
  return result.error.issues.map((i) => ({ path: i.path, text: `${i.path.map(String).join('.') || '<root>'}: ${i.message}` }));
}
