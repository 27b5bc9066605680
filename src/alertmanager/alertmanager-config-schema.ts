import { z } from 'zod';
import { schemaIssues, type SchemaIssue } from '../core/schema-issues.js';
import { httpClientFields, tlsConfigSchema } from '../prometheus/prometheus-common-schema.js';
import { isModelDuration } from '../core/go-duration.js';

/*
 * Alertmanager's configuration file, from docs/configuration.md of
 * prometheus/alertmanager (0.34). Alertmanager decodes it strictly
 * (config.Load uses yaml.UnmarshalStrict): an unknown key stops it. The parts
 * this library writes are modeled key by key; integrations it does not
 * write (pagerduty, opsgenie, ...) must be lists of mappings, and `amtool
 * check-config` is the full check.
 */

const duration = z.string().refine(isModelDuration, 'must be a duration such as 30s, 5m or 4h');
const httpConfig = z.strictObject(httpClientFields);
const list = z.array(z.record(z.string(), z.unknown()), { error: 'must be a list of mappings' });

const webhookConfig = z.strictObject({
  send_resolved: z.boolean().optional(),
  url: z
    .string()
    .regex(/^https?:\/\//, 'must be an http(s) URL')
    .optional(),
  url_file: z.string().optional(),
  http_config: httpConfig.optional(),
  max_alerts: z.number().int().nonnegative().optional(),
  timeout: duration.optional(),
  payload: z.record(z.string(), z.unknown()).optional(),
});

const emailConfig = z.strictObject({
  send_resolved: z.boolean().optional(),
  to: z.string(),
  from: z.string().optional(),
  smarthost: z.string().optional(),
  hello: z.string().optional(),
  auth_username: z.string().optional(),
  auth_password: z.string().optional(),
  auth_password_file: z.string().optional(),
  auth_secret: z.string().optional(),
  auth_secret_file: z.string().optional(),
  auth_identity: z.string().optional(),
  require_tls: z.boolean().optional(),
  force_implicit_tls: z.boolean().optional(),
  tls_config: tlsConfigSchema.optional(),
  html: z.string().optional(),
  text: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

const slackConfig = z.looseObject({
  send_resolved: z.boolean().optional(),
  api_url: z.string().optional(),
  api_url_file: z.string().optional(),
  channel: z.string().optional(),
  http_config: httpConfig.optional(),
});

const receiver = z.strictObject({
  name: z.string().min(1),
  webhook_configs: z.array(webhookConfig).optional(),
  email_configs: z.array(emailConfig).optional(),
  slack_configs: z.array(slackConfig).optional(),
  discord_configs: list.optional(),
  jira_configs: list.optional(),
  mattermost_configs: list.optional(),
  msteams_configs: list.optional(),
  msteamsv2_configs: list.optional(),
  opsgenie_configs: list.optional(),
  incidentio_configs: list.optional(),
  pagerduty_configs: list.optional(),
  pushover_configs: list.optional(),
  rocketchat_configs: list.optional(),
  sns_configs: list.optional(),
  telegram_configs: list.optional(),
  victorops_configs: list.optional(),
  webex_configs: list.optional(),
  wechat_configs: list.optional(),
});

interface RouteShape {
  receiver?: string;
  routes?: RouteShape[];
  [k: string]: unknown;
}

const route: z.ZodType<RouteShape> = z.lazy(() =>
  z.strictObject({
    receiver: z.string().optional(),
    group_by: z.array(z.string()).optional(),
    continue: z.boolean().optional(),
    match: z.record(z.string(), z.string()).optional(),
    match_re: z.record(z.string(), z.string()).optional(),
    matchers: z.array(z.string()).optional(),
    labels: z.record(z.string(), z.string()).optional(),
    group_wait: duration.optional(),
    group_interval: duration.optional(),
    repeat_interval: duration.optional(),
    mute_time_intervals: z.array(z.string()).optional(),
    active_time_intervals: z.array(z.string()).optional(),
    routes: z.array(route).optional(),
  }),
);

/** The schema of Alertmanager's configuration file. */
export const alertmanagerConfigSchema = z
  .strictObject({
    global: z.record(z.string(), z.unknown()).optional(),
    templates: z.array(z.string()).optional(),
    route: route,
    inhibit_rules: list.optional(),
    receivers: z.array(receiver).min(1, 'must list at least the receiver of the top route'),
    time_intervals: list.optional(),
    mute_time_intervals: list.optional(),
    tracing: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((doc, ctx) => {
    // Alertmanager's own checks (config.go): a top route with a receiver, and every route's receiver defined.
    if (!doc.route.receiver) ctx.addIssue({ code: 'custom', path: ['route', 'receiver'], message: 'the top route needs a receiver' });
    const names = new Set<string>();
    doc.receivers.forEach((r, i) => {
      if (names.has(r.name)) ctx.addIssue({ code: 'custom', path: ['receivers', i, 'name'], message: `receiver '${r.name}' is defined twice` });
      names.add(r.name);
      r.webhook_configs?.forEach((w, j) => {
        if ((w.url === undefined) === (w.url_file === undefined)) {
          ctx.addIssue({ code: 'custom', path: ['receivers', i, 'webhook_configs', j], message: 'needs exactly one of url and url_file' });
        }
      });
    });
    const walk = (r: RouteShape, path: (string | number)[]) => {
      if (r.receiver !== undefined && !names.has(r.receiver)) {
        ctx.addIssue({ code: 'custom', path: [...path, 'receiver'], message: `receiver '${r.receiver}' is not defined under receivers` });
      }
      r.routes?.forEach((c, i) => walk(c, [...path, 'routes', i]));
    };
    walk(doc.route, ['route']);
  });

/**
 * Checks an Alertmanager configuration document.
 * @returns one message per problem, with its path in the file
 */
export function checkAlertmanagerConfig(doc: unknown): string[] {
  return alertmanagerConfigIssues(doc).map((i) => i.text);
}

/** {@link checkAlertmanagerConfig}, with the path of each issue in the document. */
export function alertmanagerConfigIssues(doc: unknown): SchemaIssue[] {
  const r = alertmanagerConfigSchema.safeParse(doc);
  return r.success ? [] : schemaIssues(r.error);
}
