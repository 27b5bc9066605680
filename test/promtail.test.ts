import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { IMAGE_LABEL } from '../src/compose/service.js';
import { App } from '../src/core/app.js';
import { Duration } from '../src/core/duration.js';
import { Size } from '../src/core/size.js';
import { NetworkMode, Stack, StackProps } from '../src/core/stack.js';
import { Testing } from '../src/core/testing.js';
import { LOKI_BLOCKS, LOKI_REFERENCE_VERSION, type LokiKeyTree } from '../src/loki/loki-config-reference.js';
import { Loki } from '../src/loki/index.js';
import { dockerLabelMeta } from '../src/collector/collected-labels.js';
import {
  checkPromtailConfig,
  Promtail,
  PROMTAIL_SERVER_CHECKED_AGAINST_LOKI,
  PROMTAIL_SERVER_UNREAD_KEYS,
  PromtailConfigFile,
  PromtailConfigSchema,
  PromtailProps,
  promtailReadyProbe,
  PromtailServerSchema,
} from '../src/promtail/index.js';

type Doc = Record<string, any>;

function build(stackProps: StackProps = {}, props: Partial<PromtailProps> = {}, stackId = 'demo') {
  const app = new App();
  const stack = new Stack(app, stackId, stackProps);
  const loki = new Loki(stack, 'loki');
  const promtail = new Promtail(stack, 'promtail', { loki, ...props });
  return { app, stack, loki, promtail };
}

function docs(stack: Stack) {
  const d = Testing.synthDocuments(stack);
  return { config: d['promtail/promtail-config.yml'] as Doc, compose: d['docker-compose.yml'] as Doc };
}

/** The message of the error synthesis throws. */
function synthError(stack: Stack): string {
  try {
    Testing.synth(stack);
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail('synthesis should have failed');
}

describe('Promtail config', () => {
  it('discovers the containers of the stack’s own compose project through the socket', () => {
    const { stack } = build({ projectName: 'aixcl' });
    const { config } = docs(stack);
    assert.equal(config.scrape_configs.length, 1);
    assert.deepEqual(config.scrape_configs[0].docker_sd_configs, [
      {
        host: 'unix:///var/run/docker.sock',
        refresh_interval: '1s',
        filters: [{ name: 'label', values: ['com.docker.compose.project=aixcl'] }],
      },
    ]);
  });

  it('follows the stack’s project name when it changes (no hard-coded project)', () => {
    const a = docs(build({ projectName: 'first' }).stack).config;
    const b = docs(build({ projectName: 'second' }).stack).config;
    assert.deepEqual(a.scrape_configs[0].docker_sd_configs[0].filters[0].values, ['com.docker.compose.project=first']);
    assert.deepEqual(b.scrape_configs[0].docker_sd_configs[0].filters[0].values, ['com.docker.compose.project=second']);
    // Without a projectName the stack id is the project.
    const c = docs(build({}, {}, 'third').stack).config;
    assert.deepEqual(c.scrape_configs[0].docker_sd_configs[0].filters[0].values, ['com.docker.compose.project=third']);
  });

  it('collects another project only when told to (logging-only stack)', () => {
    const { stack, promtail } = build({ projectName: 'logs' }, { project: 'aixcl', refreshInterval: Duration.seconds(30) });
    assert.equal(promtail.project, 'aixcl');
    const sd = docs(stack).config.scrape_configs[0].docker_sd_configs[0];
    assert.deepEqual(sd.filters, [{ name: 'label', values: ['com.docker.compose.project=aixcl'] }]);
    assert.equal(sd.refresh_interval, '30s');
  });

  it('labels every line with container, compose service and project, stream and image', () => {
    const { config } = docs(build().stack);
    const job = config.scrape_configs[0];
    // The Docker target reads through the API: no `docker: {}` stage; only the services' formats.
    assert.deepEqual(
      job.pipeline_stages.map((s: Doc) => Object.keys(s)[0] + ' ' + s.match?.selector),
      ['match {compose_service="loki"}', 'match {compose_service="promtail"}'],
    );
    const byTarget = Object.fromEntries(job.relabel_configs.map((r: Doc) => [r.target_label, r]));
    assert.deepEqual(Object.keys(byTarget).sort(), ['compose_project', 'compose_service', 'container', 'image', 'service_name', 'stream']);
    assert.deepEqual(byTarget.service_name.source_labels, byTarget.compose_service.source_labels);
    assert.deepEqual(byTarget.compose_service.source_labels, ['__meta_docker_container_label_com_docker_compose_service']);
    assert.deepEqual(byTarget.compose_project.source_labels, ['__meta_docker_container_label_com_docker_compose_project']);
    assert.deepEqual(byTarget.stream.source_labels, ['__meta_docker_container_log_stream']);
    assert.deepEqual(byTarget.image.source_labels, ['__meta_docker_container_label_dev_aixcl_image']);
    assert.deepEqual(byTarget.image.source_labels, [dockerLabelMeta(IMAGE_LABEL)]);
    for (const r of job.relabel_configs) assert.equal(r.action ?? 'replace', 'replace');

    // The container name loses Docker's leading '/': apply the rule as Prometheus does (anchored regex).
    const c = byTarget.container;
    assert.deepEqual(c.source_labels, ['__meta_docker_container_name']);
    const m = new RegExp(`^(?:${c.regex})$`).exec('/aixcl-loki-1');
    assert.ok(m);
    assert.equal((c.replacement as string).replace('$1', m[1]), 'aixcl-loki-1');
  });

  it('every service carries the image label the relabel reads', () => {
    const { compose } = docs(build().stack);
    assert.equal(compose.services.promtail.labels[IMAGE_LABEL], 'grafana/promtail:3.6.15');
    assert.equal(compose.services.loki.labels[IMAGE_LABEL], compose.services.loki.image);
  });

  it('keeps positions in a directory on the named volume', () => {
    const { stack, promtail } = build({ projectName: 'aixcl' });
    const { config, compose } = docs(stack);
    assert.equal(config.positions.filename, '/var/lib/promtail/positions.yaml');
    assert.equal(promtail.positionsVolume.volumeName, 'promtail-positions');
    assert.equal(promtail.positionsVolume.dockerName, 'aixcl_promtail-positions');
    assert.ok('promtail-positions' in compose.volumes);
    const mount = compose.services.promtail.volumes.find((v: Doc) => v.target === '/var/lib/promtail');
    assert.deepEqual(mount, { type: 'volume', source: 'promtail-positions', target: '/var/lib/promtail' });
    assert.ok(config.positions.filename.startsWith(mount.target + '/'));
  });

  it('pushes to the Loki service name on a bridge and to localhost on host networking', () => {
    const bridge = build({ networkMode: NetworkMode.BRIDGE });
    const host = build({ networkMode: NetworkMode.HOST });
    const b = docs(bridge.stack).config.clients;
    const h = docs(host.stack).config.clients;
    assert.deepEqual(b, [{ url: 'http://loki:3100/loki/api/v1/push', batchwait: '200ms', batchsize: 262144 }]);
    assert.deepEqual(h, [{ url: 'http://localhost:3100/loki/api/v1/push', batchwait: '200ms', batchsize: 262144 }]);
    assert.equal(b[0].url, bridge.loki.pushUrl);
    assert.equal(h[0].url, host.loki.pushUrl);
  });

  it('serves /ready without needing a target, on the stack’s listen address', () => {
    const bridge = docs(build({ networkMode: NetworkMode.BRIDGE }).stack).config.server;
    assert.deepEqual(bridge, {
      http_listen_address: '0.0.0.0',
      http_listen_port: 9080,
      grpc_listen_address: '0.0.0.0',
      grpc_listen_port: 0,
      health_check_target: false,
      log_level: 'info',
    });
    const port = docs(build({}, { port: 9081 }).stack).config.server;
    assert.equal(port.http_listen_port, 9081);
  });

  it('keeps the always-open gRPC listener on the HTTP listen address (not every host interface)', () => {
    for (const [bindAddress, expected] of [
      ['127.0.0.1', '127.0.0.1'],
      ['10.1.2.3', '10.1.2.3'],
      ['0.0.0.0', '0.0.0.0'],
      ['::1', '::1'],
    ]) {
      const server = docs(build({ networkMode: NetworkMode.HOST, bindAddress }).stack).config.server;
      assert.equal(server.http_listen_address, expected, bindAddress);
      assert.equal(server.grpc_listen_address, expected, bindAddress);
      assert.equal(server.grpc_listen_port, 0);
    }
  });

  it('writes IPv6 listen addresses bare (dskit adds the brackets when it joins the port)', () => {
    const server = docs(build({ networkMode: NetworkMode.HOST, bindAddress: '[::1]' }).stack).config.server;
    assert.equal(server.http_listen_address, '::1');
    assert.equal(server.grpc_listen_address, '::1');
    // The file construct unbrackets on its own, whoever passes the address.
    const app = new App();
    const stack = new Stack(app, 'direct');
    const file = new PromtailConfigFile(stack, 'Config', {
      pushUrl: 'http://[::1]:3100/loki/api/v1/push',
      project: 'direct',
      port: 9080,
      listenAddress: '[::1]',
      positionsFile: '/var/lib/promtail/positions.yaml',
      refreshInterval: Duration.seconds(5),
    });
    const config = Testing.synthDocuments(stack)[file.filePath] as Doc;
    assert.equal(config.server.http_listen_address, '::1');
    assert.equal(config.server.grpc_listen_address, '::1');
  });

  it('renders a document the schema accepts, and the schema is exported', () => {
    const { config } = docs(build().stack);
    assert.deepEqual(checkPromtailConfig(config), []);
    assert.equal(PromtailConfigSchema.safeParse(config).success, true);
  });
});

describe('Promtail service', () => {
  it('runs the config file mounted read-only, with metrics, a memory limit and the port', () => {
    const { stack, promtail } = build();
    const svc = docs(stack).compose.services.promtail;
    assert.equal(svc.image, 'grafana/promtail:3.6.15');
    assert.deepEqual(svc.command, ['-config.file=/etc/promtail/config.yml']);
    assert.deepEqual(
      svc.volumes.find((v: Doc) => v.target === '/etc/promtail/config.yml'),
      { type: 'bind', source: './promtail/promtail-config.yml', target: '/etc/promtail/config.yml', read_only: true },
    );
    assert.equal(svc.mem_limit, '256m');
    assert.equal(svc.user, undefined, 'runs as the image’s root user, which the socket needs');
    assert.deepEqual(promtail.service.metrics, { port: 9080, path: '/metrics' });
    assert.deepEqual(svc.ports, [{ target: 9080, published: '9080', host_ip: '127.0.0.1', protocol: 'tcp' }]);
    assert.equal(promtail.port, 9080);

    const custom = docs(build({}, { memoryLimit: Size.mebibytes(128), serviceName: 'shipper' }).stack).compose;
    assert.equal(custom.services.shipper.mem_limit, '128m');
    assert.ok('shipper-positions' in custom.volumes);
  });

  it('mounts the Docker socket read-only, from the given host path', () => {
    const def = docs(build().stack).compose.services.promtail;
    assert.deepEqual(
      def.volumes.find((v: Doc) => v.target === '/var/run/docker.sock'),
      { type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock', read_only: true },
    );
    const podman = docs(build({}, { dockerSocket: '/run/user/1000/podman/podman.sock' }).stack).compose.services.promtail;
    assert.deepEqual(
      podman.volumes.find((v: Doc) => v.target === '/var/run/docker.sock'),
      { type: 'bind', source: '/run/user/1000/podman/podman.sock', target: '/var/run/docker.sock', read_only: true },
    );
  });

  it('depends on Loki without being blocked by it', () => {
    const svc = docs(build().stack).compose.services.promtail;
    assert.deepEqual(svc.depends_on, { loki: { condition: 'service_started', required: false } });
  });

  it('registers itself as a collector of its Loki', () => {
    const { loki, promtail } = build();
    assert.ok(loki.collectors.includes(promtail));
  });

  it('renders the bash healthcheck into docker-compose.yml with Compose’s $ escaping intact', () => {
    for (const [stackProps, addr] of [
      [{ networkMode: NetworkMode.BRIDGE }, '127.0.0.1'],
      [{ networkMode: NetworkMode.HOST }, '127.0.0.1'],
      [{ networkMode: NetworkMode.HOST, bindAddress: '0.0.0.0' }, '127.0.0.1'],
      [{ networkMode: NetworkMode.HOST, bindAddress: '10.1.2.3' }, '10.1.2.3'],
      // bash's /dev/tcp takes an IPv6 literal bare.
      [{ networkMode: NetworkMode.HOST, bindAddress: '::1' }, '::1'],
      [{ networkMode: NetworkMode.HOST, bindAddress: '[::1]' }, '::1'],
      [{ networkMode: NetworkMode.HOST, bindAddress: '::' }, '::1'],
      [{ networkMode: NetworkMode.BRIDGE, bindAddress: '::1' }, '127.0.0.1'],
    ] as Array<[StackProps, string]>) {
      const { stack } = build(stackProps);
      const raw = Testing.synth(stack)['docker-compose.yml'];
      const hc = (parse(raw) as Doc).services.promtail.healthcheck;
      const script = promtailReadyProbe(addr, 9080);
      assert.deepEqual(hc.test.slice(0, 3), ['CMD', 'bash', '-c']);
      assert.equal(hc.test.length, 4);
      // What Compose hands to bash is the file's text with `$$` read as `$`;
      // a lone `$` would be interpolated (and mangled) by Compose.
      const written: string = hc.test[3];
      assert.equal(/(^|[^$])(\$\$)*\$(?!\$)/.test(written), false, 'no lone $ in the compose file');
      assert.equal(written.replace(/\$\$/g, '$'), script);
      assert.ok(written.includes(`/dev/tcp/${addr}/9080 `), written);
      assert.ok(!written.includes('['), 'no brackets around the address');
      assert.ok(!/\b(curl|wget)\b/.test(script), 'the Promtail image has neither curl nor wget');
      assert.equal(hc.interval, '10s');
      assert.equal(hc.start_period, '10s');
    }
  });
});

describe('Promtail validation', () => {
  it('rejects Promtail 3.7+ (no such image) with the fix', () => {
    const { stack } = build({}, { image: 'grafana/promtail:3.7.0' });
    const msg = synthError(stack);
    assert.match(msg, /\[demo\/promtail\] image 'grafana\/promtail:3\.7\.0' does not exist: Promtail's last release line is 3\.6\.x/);
    assert.match(msg, /use grafana\/promtail:3\.6\.15 \(or move to Grafana Alloy/);
    assert.match(synthError(build({}, { image: 'grafana/promtail:4.0.1' }).stack), /\[demo\/promtail\] image 'grafana\/promtail:4\.0\.1' does not exist/);
  });

  it('rejects a tag that is not a version', () => {
    for (const image of ['grafana/promtail:latest', 'grafana/promtail']) {
      const msg = synthError(build({}, { image }).stack);
      assert.ok(msg.includes(`[demo/promtail] unknown image version format in '${image}'`), msg);
      assert.match(msg, /use grafana\/promtail:3\.6\.15/);
    }
  });

  it('rejects Promtail older than 2.9', () => {
    const msg = synthError(build({}, { image: 'grafana/promtail:2.8.4' }).stack);
    assert.match(msg, /\[demo\/promtail\] image 'grafana\/promtail:2\.8\.4' is older than Promtail 2\.9\.0.*use grafana\/promtail:3\.6\.15/);
  });

  it('accepts 2.9.x and 3.6.x tags', () => {
    for (const image of ['grafana/promtail:2.9.0', 'grafana/promtail:3.6.15', 'grafana/promtail:3.6.2-amd64']) {
      assert.equal(docs(build({}, { image }).stack).compose.services.promtail.image, image);
    }
  });

  it('rejects an override with a key Promtail does not know', () => {
    const { stack, promtail } = build();
    promtail.config.addOverride('server.http_listen_prot', 9080);
    const msg = synthError(stack);
    assert.match(msg, /\[demo\/promtail\/Config\] the Promtail config would not load \(check overrides\): server: Unrecognized key: "http_listen_prot"/);
  });

  it('rejects an override whose client URL is not the push endpoint', () => {
    const { stack, promtail } = build();
    promtail.config.addOverride('clients', [{ url: 'http://loki:3100/' }]);
    assert.match(synthError(stack), /\[demo\/promtail\/Config\] .*clients\.0\.url: must be Loki's push endpoint, ending in \/loki\/api\/v1\/push/);
  });

  it('accepts a valid override and renders it', () => {
    const { stack, promtail } = build();
    promtail.config.addOverride('server.log_level', 'debug');
    promtail.config.addOverride('limits_config.max_streams', 1000);
    const { config } = docs(stack);
    assert.equal(config.server.log_level, 'debug');
    assert.deepEqual(config.limits_config, { max_streams: 1000 });
  });

  it('rejects a Loki of another stack, with the fix', () => {
    const app = new App();
    const logs = new Stack(app, 'logs');
    // Another address: both Promtails publish 9080, and the stacks of an app share one engine.
    const other = new Stack(app, 'other', { bindAddress: '127.0.0.2' });
    const loki = new Loki(logs, 'loki');
    new Promtail(logs, 'promtail', { loki });
    new Promtail(other, 'promtail', { loki });
    const msg = synthError(other);
    assert.match(msg, /^1 problem in the stack/);
    assert.match(
      msg,
      /\[other\/promtail\] pushes to logs\/loki, which is in another stack \(logs\): its URL does not resolve from this stack; create the Loki in this stack \(other\) and pass that one/,
    );
  });

  it('rejects an invalid project name', () => {
    const msg = synthError(build({}, { project: 'Not A Project' }).stack);
    assert.match(msg, /\[demo\/promtail\] project 'Not A Project' is not a Compose project name/);
  });
});

describe('Promtail config schema', () => {
  it('accepts the deprecated single `client` block, which Promtail 3.6 still reads', () => {
    const d = structuredClone(docs(build().stack).config);
    d.client = d.clients[0];
    delete d.clients;
    assert.deepEqual(checkPromtailConfig(d), []);
    d.client.bogus = 1;
    assert.match(checkPromtailConfig(d).join('\n'), /^client: Unrecognized key: "bogus"$/m);
  });

  it('rejects unknown keys at every level it models', () => {
    const base = docs(build().stack).config;
    const cases: Array<[(d: Doc) => void, RegExp]> = [
      [(d) => (d.extra = 1), /^<root>: Unrecognized key: "extra"$/],
      [(d) => (d.positions.file = 'x'), /^positions: Unrecognized key: "file"$/],
      [(d) => (d.clients[0].batch_wait = '1s'), /^clients\.0: Unrecognized key: "batch_wait"$/],
      [(d) => (d.scrape_configs[0].docker_sd_configs[0].refresh = '5s'), /^scrape_configs\.0\.docker_sd_configs\.0: Unrecognized key: "refresh"$/],
      [(d) => (d.scrape_configs[0].relabel_configs[0].target = 'x'), /^scrape_configs\.0\.relabel_configs\.0: Unrecognized key: "target"$/],
      [(d) => (d.options = { stream_lag_labels: ['x'] }), /^options: Unrecognized key: "stream_lag_labels"$/],
      [(d) => (d.clients = []), /^clients: Promtail needs at least one client/],
      [(d) => (d.scrape_configs[0].docker_sd_configs[0].refresh_interval = '1.5s'), /refresh_interval: expected a Prometheus duration/],
      [(d) => d.scrape_configs.push({ job_name: 'docker' }), /scrape_configs\.1\.job_name: job_name 'docker' is used twice/],
      [(d) => delete d.scrape_configs[0].relabel_configs[0].target_label, /target_label: action 'replace' needs a target_label/],
    ];
    for (const [mutate, expected] of cases) {
      const d = structuredClone(base);
      mutate(d);
      const problems = checkPromtailConfig(d);
      assert.equal(problems.length, 1, `${expected}: ${problems.join(' | ')}`);
      assert.match(problems[0], expected);
    }
  });

  it('accepts the other top-level blocks Promtail has', () => {
    const d = structuredClone(docs(build().stack).config);
    Object.assign(d, {
      global: { file_watch_config: { min_poll_frequency: '250ms', max_poll_frequency: '1s' } },
      limits_config: { readline_rate_enabled: true, readline_rate: 100, readline_burst: 200 },
      target_config: { sync_period: '10s' },
      options: {},
      tracing: { enabled: false },
    });
    assert.deepEqual(checkPromtailConfig(d), []);
  });
});

describe('Promtail server schema', () => {
  /** A config with `server` replaced by the generated block plus `extra`. */
  function withServer(extra: Doc): Doc {
    const d = structuredClone(docs(build().stack).config);
    Object.assign(d.server, extra);
    return d;
  }

  /** A valid sample value of every key of a reference key tree. */
  function sample(tree: LokiKeyTree): Doc {
    const values: Record<string, unknown> = { boolean: true, string: 'x', int: 1, float: 1.5, duration: '5s', 'string[]': ['x'] };
    return Object.fromEntries(
      Object.entries(tree)
        .filter(([k]) => !k.startsWith('$'))
        .map(([k, v]) => [k, typeof v === 'object' && !Array.isArray(v) ? sample(v as LokiKeyTree) : values[v as string]]),
    );
  }

  it('accepts the dskit server keys Promtail 3.6 reads (TLS, keepalive, source IPs, ...)', () => {
    const d = withServer({
      http_tls_config: { cert_file: '/tls/cert.pem', key_file: '/tls/key.pem', client_auth_type: 'RequireAndVerifyClientCert', client_ca_file: '/tls/ca.pem' },
      grpc_tls_config: { cert_file: '/tls/cert.pem', key_file: '/tls/key.pem' },
      tls_min_version: 'VersionTLS13',
      log_source_ips_enabled: true,
      log_source_ips_header: 'X-Forwarded-For',
      grpc_server_max_connection_age: '5m',
      grpc_server_max_connection_age_grace: '30s',
      grpc_server_keepalive_time: '2h',
      grpc_server_keepalive_timeout: '20s',
      grpc_server_ping_without_stream_allowed: true,
      http_log_closed_connections_without_response_enabled: true,
      cluster_validation: { label: 'aixcl', grpc: { enabled: true, soft_validation: true } },
      http_path_prefix: '/promtail',
    });
    assert.deepEqual(checkPromtailConfig(d), []);
  });

  it('accepts Promtail’s own server keys', () => {
    const d = withServer({ external_url: 'http://localhost:9080/', disable: false, profiling_enabled: true, enable_runtime_reload: true });
    assert.deepEqual(checkPromtailConfig(d), []);
  });

  it('takes every dskit key from Loki’s reference, less those Promtail 3.6’s older dskit lacks', () => {
    // The exclusions were checked against one Loki reference: a new one needs a new comparison.
    assert.equal(
      LOKI_REFERENCE_VERSION,
      PROMTAIL_SERVER_CHECKED_AGAINST_LOKI,
      'compare the dskit server config of the new Loki with Promtail 3.6.15’s and update PROMTAIL_SERVER_UNREAD_KEYS',
    );
    const server = LOKI_BLOCKS.server;
    assert.ok(server);
    const full = sample(server);
    for (const path of PROMTAIL_SERVER_UNREAD_KEYS) {
      const keys = path.split('.');
      const parent = keys.slice(0, -1).reduce((o: Doc, k) => o[k], full);
      assert.ok(keys.at(-1)! in parent, `${path} is in the Loki reference (else drop the exclusion)`);
      delete parent[keys.at(-1)!];
    }
    // log_level and log_format are narrowed to the values dskit accepts.
    Object.assign(full, { log_level: 'warn', log_format: 'json' });
    const result = PromtailServerSchema.safeParse(full);
    assert.equal(result.success, true, JSON.stringify(result.error?.issues));
  });

  it('still rejects unknown keys, keys of a newer dskit and bad values, at every level', () => {
    const cases: Array<[Doc, RegExp]> = [
      [{ http_listen_prot: 9080 }, /^server: Unrecognized key: "http_listen_prot"$/],
      [{ create_new_traces: true }, /^server: Unrecognized key: "create_new_traces"$/],
      [{ cluster_validation: { label: 'a', additional_labels: 'b' } }, /^server\.cluster_validation: Unrecognized key: "additional_labels"$/],
      [{ http_tls_config: { cert_path: '/x' } }, /^server\.http_tls_config: Unrecognized key: "cert_path"$/],
      [{ cluster_validation: { grpc: { enable: true } } }, /^server\.cluster_validation\.grpc: Unrecognized key: "enable"$/],
      [{ grpc_server_keepalive_time: '1d' }, /^server\.grpc_server_keepalive_time: expected a Go duration/],
      [{ grpc_listen_port: 70000 }, /^server\.grpc_listen_port: /],
      [{ log_level: 'trace' }, /^server\.log_level: /],
      [{ log_source_ips_enabled: 'yes' }, /^server\.log_source_ips_enabled: /],
    ];
    for (const [extra, expected] of cases) {
      const problems = checkPromtailConfig(withServer(extra));
      assert.equal(problems.length, 1, `${expected}: ${problems.join(' | ')}`);
      assert.match(problems[0], expected);
    }
  });
});

describe('Promtail scrape config schema', () => {
  /** A config with one more scrape config `{ job_name: 'extra', ...job }`. */
  function withJob(job: Doc): Doc {
    const d = structuredClone(docs(build().stack).config);
    d.scrape_configs.push({ job_name: 'extra', ...job });
    return d;
  }

  it('accepts every service discovery Promtail 3.6 has', () => {
    for (const key of [
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
    ]) {
      assert.deepEqual(checkPromtailConfig(withJob({ [key]: [{}] })), [], key);
      assert.match(checkPromtailConfig(withJob({ [key]: {} })).join(), new RegExp(`^scrape_configs\\.1\\.${key}: `), `${key} is a list`);
    }
  });

  it('accepts every target Promtail 3.6 has, with their real names', () => {
    for (const key of ['journal', 'syslog', 'gcplog', 'loki_push_api', 'windows_events', 'kafka', 'azure_event_hubs', 'gelf', 'cloudflare', 'heroku_drain']) {
      assert.deepEqual(checkPromtailConfig(withJob({ [key]: {} })), [], key);
    }
    assert.deepEqual(checkPromtailConfig(withJob({ encoding: 'UTF-16', decompression: { enabled: true, initial_delay: '10s', format: 'gz' } })), []);
  });

  it('rejects keys that are not fields of Promtail’s scrape config', () => {
    const cases: Array<[Doc, RegExp]> = [
      // The struct's key is azure_event_hubs (plural).
      [{ azure_event_hub: {} }, /^scrape_configs\.1: Unrecognized key: "azure_event_hub"$/],
      // limits_config is a top-level block only.
      [{ limits_config: { max_streams: 10 } }, /^scrape_configs\.1: Unrecognized key: "limits_config"$/],
      [{ docker_sd_config: [{}] }, /^scrape_configs\.1: Unrecognized key: "docker_sd_config"$/],
      [{ decompression: { enabled: true, delay: '1s' } }, /^scrape_configs\.1\.decompression: Unrecognized key: "delay"$/],
    ];
    for (const [job, expected] of cases) {
      const problems = checkPromtailConfig(withJob(job));
      assert.equal(problems.length, 1, `${expected}: ${problems.join(' | ')}`);
      assert.match(problems[0], expected);
    }
  });
});

describe('Promtail ready probe (run with the real bash)', () => {
  /** Runs the probe with bash; resolves to its exit code. */
  function runProbe(script: string): Promise<number> {
    return new Promise((resolve) => {
      execFile('bash', ['-c', script], { timeout: 20_000 }, (err) => {
        resolve(err ? (typeof err.code === 'number' ? err.code : 255) : 0);
      });
    });
  }

  /** The script bash gets from the synthesized healthcheck of a Promtail on `port`. */
  function healthcheckScript(stackProps: StackProps, port: number): string {
    const { stack } = build(stackProps, { port });
    const test: string[] = (parse(Testing.synth(stack)['docker-compose.yml']) as Doc).services.promtail.healthcheck.test;
    return test[3].replace(/\$\$/g, '$');
  }

  /** An HTTP server on `host` answering the given statuses in turn; records the request lines. */
  async function readyServer(host: string, answers: number[]) {
    const seen: string[] = [];
    const server: Server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} HTTP/${req.httpVersion}`);
      const status = answers.shift() ?? 500;
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end(status === 200 ? 'Ready\n' : 'Not ready: Unable to find any logs to tail.\n');
    });
    await new Promise<void>((resolve) => server.listen({ port: 0, host, ipv6Only: host.includes(':') }, resolve));
    const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
    return { port: (server.address() as AddressInfo).port, seen, close };
  }

  it('exits 0 on 200 OK and non-zero on 500 and when nothing listens', async () => {
    // Bridge network: Promtail listens on 0.0.0.0, so the probe must dial loopback.
    const server = await readyServer('127.0.0.1', [200, 500]);
    const script = healthcheckScript({ networkMode: NetworkMode.BRIDGE }, server.port);
    try {
      assert.equal(await runProbe(script), 0, 'ready (200) must pass');
      assert.notEqual(await runProbe(script), 0, 'not ready (500) must fail');
      assert.deepEqual(server.seen, ['GET /ready HTTP/1.0', 'GET /ready HTTP/1.0']);
    } finally {
      await server.close();
    }
    // Nothing listens on the port any more.
    assert.notEqual(await runProbe(script), 0, 'a closed port must fail');
  });

  it('reaches a Promtail listening on an IPv6 bind address (host networking)', async () => {
    const server = await readyServer('::1', [200, 200, 200]);
    try {
      for (const bindAddress of ['::1', '[::1]', '::']) {
        const script = healthcheckScript({ networkMode: NetworkMode.HOST, bindAddress }, server.port);
        assert.equal(await runProbe(script), 0, `${bindAddress}: ${script}`);
      }
      assert.equal(server.seen.length, 3);
      // A bracketed address is what bash cannot resolve: the probe must not pass one on.
      assert.notEqual(await runProbe(`exec 3<>/dev/tcp/[::1]/${server.port}`), 0);
    } finally {
      await server.close();
    }
  });
});
