import { GoRegexAnchoring, goRegexProblem } from '../core/re2.js';
import { z } from 'zod';

/*
 * Structures of the Prometheus Go libraries that both Prometheus and Promtail
 * read through the same types: prometheus/common's HTTP client config and
 * prometheus/prometheus's relabel config. One schema serves both files.
 */

/** prometheus/common's TLSConfig. */
export const tlsConfigSchema = z.strictObject({
  ca: z.string().optional(),
  cert: z.string().optional(),
  key: z.string().optional(),
  ca_file: z.string().optional(),
  cert_file: z.string().optional(),
  key_file: z.string().optional(),
  ca_ref: z.string().optional(),
  cert_ref: z.string().optional(),
  key_ref: z.string().optional(),
  server_name: z.string().optional(),
  insecure_skip_verify: z.boolean().optional(),
  min_version: z.enum(['TLS10', 'TLS11', 'TLS12', 'TLS13']).optional(),
  max_version: z.enum(['TLS10', 'TLS11', 'TLS12', 'TLS13']).optional(),
});

const proxyFields = {
  proxy_url: z.string().optional(),
  no_proxy: z.string().optional(),
  proxy_from_environment: z.boolean().optional(),
  proxy_connect_header: z.record(z.string(), z.array(z.string())).optional(),
};

/** prometheus/common's HTTPClientConfig, inlined in scrape, alerting, remote and client configs. */
export const httpClientFields = {
  basic_auth: z
    .strictObject({
      username: z.string().optional(),
      username_file: z.string().optional(),
      username_ref: z.string().optional(),
      password: z.string().optional(),
      password_file: z.string().optional(),
      password_ref: z.string().optional(),
    })
    .optional(),
  authorization: z
    .strictObject({
      type: z.string().optional(),
      credentials: z.string().optional(),
      credentials_file: z.string().optional(),
      credentials_ref: z.string().optional(),
    })
    .optional(),
  oauth2: z
    .strictObject({
      client_id: z.string(),
      client_secret: z.string().optional(),
      client_secret_file: z.string().optional(),
      client_secret_ref: z.string().optional(),
      scopes: z.array(z.string()).optional(),
      token_url: z.string(),
      endpoint_params: z.record(z.string(), z.string()).optional(),
      tls_config: tlsConfigSchema.optional(),
      ...proxyFields,
    })
    .optional(),
  bearer_token: z.string().optional(),
  bearer_token_file: z.string().optional(),
  tls_config: tlsConfigSchema.optional(),
  follow_redirects: z.boolean().optional(),
  enable_http2: z.boolean().optional(),
  http_headers: z.record(z.string(), z.looseObject({})).optional(),
  ...proxyFields,
};

/** Actions that write a label, so they need a `target_label` (the relabel config's own Validate). */
const WRITES_TARGET = ['replace', 'hashmod', 'lowercase', 'uppercase', 'keepequal', 'dropequal'];

/** prometheus/prometheus's relabel.Config. */
export const relabelConfigSchema = z
  .strictObject({
    source_labels: z.array(z.string().min(1, 'a label name must not be empty')).optional(),
    separator: z.string().optional(),
    // YAML reads `regex: 1` as a number and `regex:` as null; both are taken (as a string, and as the default).
    regex: z.union([z.string(), z.number(), z.null()]).optional(),
    modulus: z.number().int().min(1).optional(),
    target_label: z.string().optional(),
    replacement: z.union([z.string(), z.number()]).optional(),
    action: z.enum(['replace', 'keep', 'drop', 'keepequal', 'dropequal', 'hashmod', 'labelmap', 'labeldrop', 'labelkeep', 'lowercase', 'uppercase']).optional(),
  })
  .superRefine((r, ctx) => {
    const action = r.action ?? 'replace';
    if (WRITES_TARGET.includes(action) && !r.target_label) {
      ctx.addIssue({ code: 'custom', message: `action '${action}' needs a target_label`, path: ['target_label'] });
    }
    // Compiled when the file is loaded, as `^(?s:REGEX)$` (model/relabel NewRegexp): check it as compiled, with Go's RE2.
    if (r.regex !== undefined && r.regex !== null) {
      const problem = goRegexProblem(String(r.regex), GoRegexAnchoring.FULL);
      if (problem) ctx.addIssue({ code: 'custom', message: `${problem} (Prometheus compiles it as ^(?s:REGEX)$)`, path: ['regex'] });
    }
  });
