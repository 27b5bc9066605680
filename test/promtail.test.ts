import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { IMAGE_LABEL } from '../src/compose/service.js';
import { App } from '../src/core/app.js';
import { Duration } from '../src/core/duration.js';
import { Size } from '../src/core/size.js';
import { NetworkMode, Stack, StackProps } from '../src/core/stack.js';
import { Testing } from '../src/core/testing.js';
import { Loki } from '../src/loki/index.js';
import {
  checkPromtailConfig,
  dockerLabelMeta,
  Promtail,
  PromtailConfigSchema,
  PromtailProps,
  promtailReadyProbe,
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
        refresh_interval: '5s',
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
    assert.equal(job.pipeline_stages, undefined, 'no docker: {} stage is needed for the API target');
    const byTarget = Object.fromEntries(job.relabel_configs.map((r: Doc) => [r.target_label, r]));
    assert.deepEqual(Object.keys(byTarget).sort(), ['compose_project', 'compose_service', 'container', 'image', 'stream']);
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
    assert.deepEqual(b, [{ url: 'http://loki:3100/loki/api/v1/push', batchwait: '1s', batchsize: 1048576 }]);
    assert.deepEqual(h, [{ url: 'http://localhost:3100/loki/api/v1/push', batchwait: '1s', batchsize: 1048576 }]);
    assert.equal(b[0].url, bridge.loki.pushUrl);
    assert.equal(h[0].url, host.loki.pushUrl);
  });

  it('serves /ready without needing a target, on the stack’s listen address', () => {
    const bridge = docs(build({ networkMode: NetworkMode.BRIDGE }).stack).config.server;
    assert.deepEqual(bridge, {
      http_listen_address: '0.0.0.0',
      http_listen_port: 9080,
      grpc_listen_port: 0,
      health_check_target: false,
      log_level: 'info',
    });
    const host = docs(build({ networkMode: NetworkMode.HOST, bindAddress: '127.0.0.1' }).stack).config.server;
    assert.equal(host.http_listen_address, '127.0.0.1');
    const port = docs(build({}, { port: 9081 }).stack).config.server;
    assert.equal(port.http_listen_port, 9081);
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
      assert.ok(script.includes(`/dev/tcp/${addr}/9080`));
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
      assert.ok(
        msg.includes(`[demo/promtail] unknown image version format in '${image}'`),
        msg,
      );
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
    const other = new Stack(app, 'other');
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

describe('Promtail ready probe (run with the real bash)', () => {
  /** Runs the probe with bash; resolves to its exit code. */
  function runProbe(script: string): Promise<number> {
    return new Promise((resolve) => {
      execFile('bash', ['-c', script], { timeout: 20_000 }, (err) => {
        resolve(err ? (typeof err.code === 'number' ? err.code : 255) : 0);
      });
    });
  }

  it('exits 0 on 200 OK and non-zero on 500 and when nothing listens', async () => {
    const answers = [200, 500];
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} HTTP/${req.httpVersion}`);
      const status = answers.shift() ?? 500;
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end(status === 200 ? 'Ready\n' : 'Not ready: Unable to find any logs to tail.\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      // 0.0.0.0 is what Promtail listens on in a bridge network: the probe must dial loopback.
      const script = promtailReadyProbe('0.0.0.0', port);
      assert.equal(await runProbe(script), 0, 'ready (200) must pass');
      assert.notEqual(await runProbe(script), 0, 'not ready (500) must fail');
      assert.deepEqual(seen, ['GET /ready HTTP/1.0', 'GET /ready HTTP/1.0']);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    // Nothing listens on the port any more.
    assert.notEqual(await runProbe(promtailReadyProbe('127.0.0.1', port)), 0, 'a closed port must fail');
  });
});
