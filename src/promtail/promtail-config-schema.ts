import { z } from 'zod';

/*
 * Promtail reads its YAML strictly (unknown keys fail startup), so the schema
 * is strict too: an override with a typo fails synthesis instead of the
 * container. Keys follow Promtail 3.6 (clients/pkg/promtail/config and the
 * configuration reference). Blocks this library does not generate (other
 * discovery mechanisms, pipeline stages) are checked for their shape only.
 */

/** Go's `time.ParseDuration` (server timeouts, batchwait, sync periods). */
const goDuration = z
  .string()
  .regex(/^(0|(\d+(\.\d+)?(ns|us|µs|μs|ms|s|m|h))+)$/, 'expected a Go duration such as 500ms, 10s or 1h30m (no days)');

/** Prometheus' `model.Duration` (discovery refresh intervals). */
const promDuration = z
  .string()
  .regex(
    /^(0|(?=\d)(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?)$/,
    'expected a Prometheus duration such as 5s, 1m or 1h30m (whole numbers, largest unit first)',
  );

const port = z.int().min(0).max(65535);
const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'expected a label name ([a-zA-Z_][a-zA-Z0-9_]*)');
const anyBlock = z.record(z.string(), z.unknown());

const tlsConfig = z.strictObject({
  ca: z.string().optional(),
  ca_file: z.string().optional(),
  cert: z.string().optional(),
  cert_file: z.string().optional(),
  key: z.string().optional(),
  key_file: z.string().optional(),
  server_name: z.string().optional(),
  insecure_skip_verify: z.boolean().optional(),
  min_version: z.string().optional(),
  max_version: z.string().optional(),
});

const basicAuth = z.strictObject({
  username: z.string().optional(),
  username_file: z.string().optional(),
  password: z.string().optional(),
  password_file: z.string().optional(),
});

const authorization = z.strictObject({
  type: z.string().optional(),
  credentials: z.string().optional(),
  credentials_file: z.string().optional(),
});

/** The HTTP client options Prometheus' common config adds (inline) to clients and discovery. */
const httpClientOptions = {
  basic_auth: basicAuth.optional(),
  authorization: authorization.optional(),
  oauth2: anyBlock.optional(),
  bearer_token: z.string().optional(),
  bearer_token_file: z.string().optional(),
  tls_config: tlsConfig.optional(),
  proxy_url: z.string().optional(),
  no_proxy: z.string().optional(),
  proxy_from_environment: z.boolean().optional(),
  proxy_connect_header: z.record(z.string(), z.array(z.string())).optional(),
  follow_redirects: z.boolean().optional(),
  enable_http2: z.boolean().optional(),
};

/** The `server` block: Promtail's own keys plus the common dskit server keys. */
export const PromtailServerSchema = z.strictObject({
  disable: z.boolean().optional(),
  profiling_enabled: z.boolean().optional(),
  enable_runtime_reload: z.boolean().optional(),
  external_url: z.string().optional(),
  health_check_target: z.boolean().optional(),
  http_listen_network: z.string().optional(),
  http_listen_address: z.string().optional(),
  http_listen_port: port.optional(),
  http_listen_conn_limit: z.int().min(0).optional(),
  grpc_listen_network: z.string().optional(),
  grpc_listen_address: z.string().optional(),
  grpc_listen_port: port.optional(),
  grpc_listen_conn_limit: z.int().min(0).optional(),
  register_instrumentation: z.boolean().optional(),
  graceful_shutdown_timeout: goDuration.optional(),
  http_server_read_timeout: goDuration.optional(),
  http_server_read_header_timeout: goDuration.optional(),
  http_server_write_timeout: goDuration.optional(),
  http_server_idle_timeout: goDuration.optional(),
  grpc_server_max_recv_msg_size: z.int().min(0).optional(),
  grpc_server_max_send_msg_size: z.int().min(0).optional(),
  grpc_server_max_concurrent_streams: z.int().min(0).optional(),
  log_level: z.enum(['debug', 'info', 'warn', 'error']).optional(),
  log_format: z.enum(['logfmt', 'json']).optional(),
  http_path_prefix: z.string().optional(),
});

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
  ...httpClientOptions,
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
  ...httpClientOptions,
});

/** One entry of `relabel_configs` (Prometheus relabelling). */
export const RelabelConfigSchema = z
  .strictObject({
    source_labels: z.array(labelName).optional(),
    separator: z.string().optional(),
    target_label: z.string().optional(),
    regex: z.string().optional(),
    modulus: z.int().min(1).optional(),
    replacement: z.string().optional(),
    action: z
      .enum(['replace', 'keep', 'drop', 'keepequal', 'dropequal', 'hashmod', 'labelmap', 'labeldrop', 'labelkeep', 'lowercase', 'uppercase'])
      .optional(),
  })
  .superRefine((r, ctx) => {
    const action = r.action ?? 'replace';
    const needsTarget = ['replace', 'hashmod', 'lowercase', 'uppercase', 'keepequal', 'dropequal'];
    if (needsTarget.includes(action) && !r.target_label) {
      ctx.addIssue({ code: 'custom', message: `action '${action}' needs a target_label`, path: ['target_label'] });
    }
  });

/** One entry of `scrape_configs`. */
export const PromtailScrapeConfigSchema = z.strictObject({
  job_name: z.string().min(1),
  pipeline_stages: z.array(anyBlock).optional(),
  decompression: anyBlock.optional(),
  encoding: z.string().optional(),
  relabel_configs: z.array(RelabelConfigSchema).optional(),
  docker_sd_configs: z.array(DockerSdConfigSchema).optional(),
  static_configs: z.array(anyBlock).optional(),
  file_sd_configs: z.array(anyBlock).optional(),
  kubernetes_sd_configs: z.array(anyBlock).optional(),
  consul_sd_configs: z.array(anyBlock).optional(),
  consulagent_sd_configs: z.array(anyBlock).optional(),
  journal: anyBlock.optional(),
  syslog: anyBlock.optional(),
  loki_push_api: anyBlock.optional(),
  windows_events: anyBlock.optional(),
  gcplog: anyBlock.optional(),
  azure_event_hub: anyBlock.optional(),
  kafka: anyBlock.optional(),
  gelf: anyBlock.optional(),
  cloudflare: anyBlock.optional(),
  heroku_drain: anyBlock.optional(),
  limits_config: anyBlock.optional(),
});

/** The whole Promtail configuration file. */
export const PromtailConfigSchema = z
  .strictObject({
    global: z
      .strictObject({
        file_watch_config: z
          .strictObject({ min_poll_frequency: goDuration.optional(), max_poll_frequency: goDuration.optional() })
          .optional(),
      })
      .optional(),
    server: PromtailServerSchema.optional(),
    clients: z.array(PromtailClientSchema).min(1, 'Promtail needs at least one client (a Loki push URL)'),
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
        watchConfig: z
          .strictObject({ minReadFrequency: goDuration.optional(), maxReadFrequency: goDuration.optional() })
          .optional(),
      })
      .optional(),
  })
  .superRefine((c, ctx) => {
    // Promtail refuses two scrape configs with the same job name.
    const seen = new Set<string>();
    (c.scrape_configs ?? []).forEach((s, i) => {
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
  const result = PromtailConfigSchema.safeParse(doc);
  if (result.success) return [];
  return result.error.issues.map((i) => `${i.path.map(String).join('.') || '<root>'}: ${i.message}`);
}
