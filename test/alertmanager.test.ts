import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import {
  AixclStack,
  Alertmanager,
  AlertSeverity,
  Logging,
  LogMetric,
  Prometheus,
  PrometheusRuleGroup,
  RuleGroup,
  Service,
  analyzeLogQL,
  Duration,
  Receiver,
  Secret,
  Stack,
  Testing,
  ValidationError,
} from '../src/index.js';

type Doc = Record<string, any>;

/** Runs `amtool check-config` on a document; fails (not skips) when amtool is missing. */
function amtoolCheck(content: string): { ok: boolean; output: string } {
  const probe = spawnSync('amtool', ['--version'], { encoding: 'utf8' });
  assert.equal(probe.status, 0, 'amtool is needed (scripts/ensure-docker.sh installs it from Debian)');
  const dir = mkdtempSync(join(tmpdir(), 'aixcl-amtool-'));
  try {
    writeFileSync(join(dir, 'alertmanager.yml'), content);
    const r = spawnSync('amtool', ['check-config', join(dir, 'alertmanager.yml')], { encoding: 'utf8' });
    return { ok: r.status === 0, output: r.stdout + r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function receiversStack(): Stack {
  const s = new Stack(Testing.app(), 'shop');
  new Alertmanager(s, 'alertmanager', {
    defaultReceiver: Receiver.email('ops-mail', {
      to: ['ops@example.com', 'dev@example.com'],
      from: 'alerts@example.com',
      smarthost: 'smtp.example.com:587',
      authUsername: 'alerts',
      authPassword: Secret.fromEnv('SMTP_PASSWORD'),
    }),
    routes: [
      { matchers: { severity: 'critical' }, receiver: Receiver.slack('chat', { webhookUrl: Secret.fromEnv('SLACK_WEBHOOK_URL'), channel: '#alerts' }) },
      {
        matchers: { compose_service: 'postgres' },
        receiver: Receiver.webhook('hook', { url: 'http://hooks.internal:8080/alerts', bearerToken: Secret.fromEnv('HOOK_TOKEN') }),
      },
    ],
  });
  return s;
}

describe('Alertmanager', () => {
  it('the default stack with alerting (no receiver given) passes amtool check-config', () => {
    const files = Testing.synth(new AixclStack(Testing.app(), 'aixcl', { alerting: {} }));
    const r = amtoolCheck(files['alertmanager/alertmanager.yml']);
    assert.ok(r.ok, r.output);
    assert.match(r.output, /SUCCESS/);
  });

  it('typed receivers pass amtool check-config, with every secret by file and none in clear', () => {
    const s = receiversStack();
    const files = Testing.synth(s);
    const config = files['alertmanager/alertmanager.yml'];
    const r = amtoolCheck(config);
    assert.ok(r.ok, r.output);
    assert.match(r.output, /3 receivers/);
    const doc = parse(config) as Doc;
    const by = Object.fromEntries(doc.receivers.map((x: Doc) => [x.name, x]));
    assert.equal(by['ops-mail'].email_configs[0].auth_password_file, '/run/alertmanager-secrets/SMTP_PASSWORD');
    assert.equal(by['ops-mail'].email_configs[0].to, 'ops@example.com, dev@example.com');
    assert.equal(by.chat.slack_configs[0].api_url_file, '/run/alertmanager-secrets/SLACK_WEBHOOK_URL');
    assert.equal(by.hook.webhook_configs[0].http_config.authorization.credentials_file, '/run/alertmanager-secrets/HOOK_TOKEN');
    assert.deepEqual(
      doc.route.routes.map((x: Doc) => [x.receiver, x.matchers]),
      [
        ['chat', ['severity="critical"']],
        ['hook', ['compose_service="postgres"']],
      ],
    );
    // The container gets each secret from the environment (Compose refuses to start without it),
    // and its entrypoint writes it to the tmpfs before exec'ing Alertmanager.
    const svc = (parse(files['docker-compose.yml']) as Doc).services.alertmanager;
    assert.deepEqual(svc.tmpfs, ['/run/alertmanager-secrets']);
    assert.match(svc.environment.SMTP_PASSWORD, /^\$\{SMTP_PASSWORD:\?/);
    assert.equal(svc.entrypoint[0], '/bin/sh');
    assert.match(
      svc.entrypoint[2],
      /^umask 077 && printf '%s' "\$\$HOOK_TOKEN" > \/run\/alertmanager-secrets\/HOOK_TOKEN && .* && exec \/bin\/alertmanager "\$\$@"$/,
    );
    assert.deepEqual(svc.command.slice(0, 2), ['--config.file=/etc/alertmanager/alertmanager.yml', '--storage.path=/alertmanager']);
  });

  it('the entrypoint writes the secrets where the configuration reads them (run by a real sh)', () => {
    const files = Testing.synth(receiversStack());
    const svc = (parse(files['docker-compose.yml']) as Doc).services.alertmanager;
    const dir = mkdtempSync(join(tmpdir(), 'aixcl-am-secrets-'));
    try {
      // Compose turns `$$` into `$`; the script then runs with the secrets directory moved into the temp dir.
      const script = (svc.entrypoint[2] as string)
        .replace(/\$\$/g, '$')
        .replaceAll('/run/alertmanager-secrets', dir)
        .replace('exec /bin/alertmanager', 'echo started');
      const r = spawnSync('/bin/sh', ['-c', script, 'alertmanager', '--flag'], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, SMTP_PASSWORD: 'p w', SLACK_WEBHOOK_URL: 'https://hooks.slack.com/x', HOOK_TOKEN: 't' },
      });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), 'started --flag');
      const doc = parse(files['alertmanager/alertmanager.yml']) as Doc;
      const read = (p: string) => spawnSync('cat', [p.replace('/run/alertmanager-secrets', dir)], { encoding: 'utf8' }).stdout;
      assert.equal(read(doc.receivers.find((x: Doc) => x.name === 'ops-mail').email_configs[0].auth_password_file), 'p w');
      assert.equal(read(doc.receivers.find((x: Doc) => x.name === 'chat').slack_configs[0].api_url_file), 'https://hooks.slack.com/x');
      const mode = spawnSync('stat', ['-c', '%a', join(dir, 'HOOK_TOKEN')], { encoding: 'utf8' }).stdout.trim();
      assert.equal(mode, '600');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses what Alertmanager would not run, with one message each', () => {
    const s = new Stack(Testing.app(), 'shop');
    // Receivers record what is wrong with them; their Alertmanager reports it with its path.
    new Alertmanager(s, 'other', {
      defaultReceiver: Receiver.webhook('w', { url: 'http://user:pw@hooks.internal/' }),
      routes: [
        { matchers: { a: '1' }, receiver: Receiver.email('m', { to: 'not an address', from: 'a@b', smarthost: 'smtp:25' }) },
        { matchers: { b: '1' }, receiver: Receiver.slack('s', { webhookUrl: 'https://hooks.slack.com/x' as unknown as Secret }) },
      ],
      port: 9094,
      serviceName: 'other',
    });
    new Alertmanager(s, 'alertmanager', {
      image: 'prom/alertmanager:v0.25.0',
      defaultReceiver: Receiver.webhook('hook', { url: Secret.fromEnv('HOOK_URL') }),
      routes: [{ matchers: {}, receiver: Receiver.none('hook') }],
    });
    let message = '';
    try {
      Testing.synth(s);
    } catch (e) {
      assert.ok(e instanceof ValidationError);
      message = e.message;
    }
    assert.match(message, /\[shop\/alertmanager\] receiver 'hook' needs Alertmanager 0\.26\.0 or later/);
    assert.match(message, /\[shop\/alertmanager\] two different receivers are named 'hook'/);
    assert.match(message, /\[shop\/alertmanager\] route 1 has no matchers/);
    assert.match(message, /\[shop\/other\] receiver 'w': the url holds a password in clear/);
    assert.match(message, /\[shop\/other\] receiver 'm': 'to' must hold e-mail addresses/);
    assert.match(message, /\[shop\/other\] receiver 's': webhookUrl must be a Secret, got the string .*Secret\.fromEnv/);
  });
});

describe('routes and inhibit rules no alert of the stack can match', () => {
  /** A stack whose alerts carry alertname, severity (warning, critical), compose_project, compose_service. */
  function alerting(routes: ConstructorParameters<typeof Alertmanager>[2] extends infer P ? (P extends { routes?: infer R } ? R : never) : never) {
    const s = new Stack(Testing.app(), 'shop');
    const api = new Service(s, 'api', { image: 'ghcr.io/acme/api:1.0.0', ports: [{ containerPort: 8080 }], metrics: { port: 8080 } });
    const alertmanager = new Alertmanager(s, 'alertmanager', { routes });
    const prometheus = new Prometheus(s, 'prometheus');
    prometheus.sendAlertsTo(alertmanager);
    const logging = new Logging(s, 'logging', { loki: { ruler: { alertmanager } } });
    new RuleGroup(s, 'logs', { loki: logging.loki }).addAlert('ServiceErrors', { metric: LogMetric.count({ project: s }), severity: AlertSeverity.WARNING });
    new PrometheusRuleGroup(s, 'metrics', { prometheus }).addAlert('ApiDown', {
      expr: 'up{job="api"} == 0',
      service: api,
      summary: 'down',
      severity: AlertSeverity.CRITICAL,
    });
    return { s, alertmanager };
  }
  const messageOf = (s: Stack) => {
    try {
      Testing.synth(s);
    } catch (e) {
      assert.ok(e instanceof ValidationError, String(e));
      return e.message;
    }
    return '';
  };
  const none = Receiver.none('quiet');

  it('refuses a label no alert carries, naming the labels they do carry, and a value none has, with did-you-mean', () => {
    const { s } = alerting([
      { matchers: { team: 'db' }, receiver: none },
      { matchers: { severity: 'critcal' }, receiver: none },
      { matchers: { compose_service: 'apii' }, receiver: none },
      { matchers: { severity: 'critical', alertname: 'ApiDown' }, receiver: none },
    ]);
    const msg = messageOf(s);
    assert.match(
      msg,
      /\[shop\/alertmanager\] route 1 \(team="db"\) never takes an alert: no alert of the stack carries the label 'team' \(the alerts carry alertname, compose_project, compose_service, instance, job, severity\)/,
    );
    assert.match(
      msg,
      /\[shop\/alertmanager\] route 2 \(severity="critcal"\) never takes an alert: no alert of the stack has that value \(the alerts have severity "critical", "warning"; did you mean "critical"\?\)/,
    );
    assert.match(msg, /\[shop\/alertmanager\] route 3 \(compose_service="apii"\) never takes an alert: .*compose_service .*"api".*; did you mean "api"\?/);
    assert.doesNotMatch(msg, /route 4/);
  });

  it("checks an override's inhibit rule too, and accepts the stack's own values and negative matchers", () => {
    const { s, alertmanager } = alerting([{ matchers: { compose_service: 'api' }, receiver: none }]);
    alertmanager.config.addOverride('inhibit_rules', [
      { source_matchers: ['severity="page"'], target_matchers: ['severity!="critical"'], equal: ['compose_service'] },
      { source_matchers: ['severity="critical"'], target_matchers: ['severity=~"warn.*"'], equal: ['compose_service'] },
    ]);
    const msg = messageOf(s);
    assert.match(
      msg,
      /\[shop\/alertmanager\] inhibit rule 1's source \(severity="page"\) never matches an alert, so it never inhibits: no alert of the stack has that value/,
    );
    assert.doesNotMatch(msg, /route 1|inhibit rule 2/);
  });

  it('does not judge a label an alert may keep from its expression, nor a stack without alert rules', () => {
    const { s } = alerting([{ matchers: { handler: '/api', instance: 'api:8080' }, receiver: none }]);
    new PrometheusRuleGroup(s, 'raw', { prometheus: s.node.findChild('prometheus') as Prometheus }).addAlert('SlowHandler', {
      expr: 'rate(http_request_duration_seconds_sum{job="api"}[1m]) > 1',
      service: s.node.findChild('api') as Service,
      summary: 'down',
    });
    assert.equal(messageOf(s), '');
    const bare = new Stack(Testing.app(), 'bare');
    new Alertmanager(bare, 'alertmanager', { routes: [{ matchers: { team: 'db' }, receiver: none }] });
    assert.equal(messageOf(bare), '');
  });
});

describe('a real Alertmanager (Debian prometheus-alertmanager) routes the default alerts', () => {
  const cleanups: Array<() => void | Promise<void>> = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('routes an alert with the labels of the generated rule to its receiver', async () => {
    const probe = spawnSync('prometheus-alertmanager', ['--version'], { encoding: 'utf8' });
    assert.equal(probe.status, 0, 'prometheus-alertmanager is needed (scripts/ensure-docker.sh installs it from Debian)');

    // Webhook receivers: a small HTTP server on loopback that records what it is sent, by path.
    const received: Array<{ path: string; body: Doc }> = [];
    const server: Server = createServer((req, res) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: JSON.parse(data) as Doc });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const hookPort = (server.address() as AddressInfo).port;

    const stack = new AixclStack(Testing.app(), 'aixcl', {
      alerting: {
        defaultReceiver: Receiver.webhook('ops', { url: `http://127.0.0.1:${hookPort}/ops` }),
        routes: [{ matchers: { severity: AlertSeverity.CRITICAL }, receiver: Receiver.webhook('pager', { url: `http://127.0.0.1:${hookPort}/pager` }) }],
        groupWait: Duration.seconds(1),
      },
    });
    const files = Testing.synth(stack);
    const rule = (parse(files['loki/rules/service-errors.yml']) as Doc).groups[0].rules[0];
    // The labels Loki's ruler gives the alert: its name, the rule's labels, and the labels the
    // expression's result keeps (its `sum by` grouping), for a service of the stack.
    const grouping = analyzeLogQL(rule.expr).analysis!.aggregations[0].by!;
    assert.deepEqual(grouping, ['compose_project', 'compose_service']);
    const labels: Record<string, string> = { alertname: rule.alert, ...rule.labels, compose_project: 'aixcl', compose_service: 'postgres' };
    assert.deepEqual(Object.keys(labels).sort(), ['alertname', 'compose_project', 'compose_service', 'severity']);

    const dir = mkdtempSync(join(tmpdir(), 'aixcl-am-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'alertmanager.yml'), files['alertmanager/alertmanager.yml']);
    mkdirSync(join(dir, 'data'));
    const amPort = await freePort();
    const am = spawn(
      'prometheus-alertmanager',
      [
        `--config.file=${join(dir, 'alertmanager.yml')}`,
        `--storage.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${amPort}`,
        '--cluster.listen-address=',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    am.stderr.on('data', (c) => (log += c));
    cleanups.push(() => new Promise<void>((r) => (am.exitCode !== null ? r() : (am.once('exit', () => r()), am.kill('SIGTERM')))));
    const base = `http://127.0.0.1:${amPort}`;
    await waitFor(
      async () => (await fetch(`${base}/-/ready`).catch(() => undefined))?.ok === true,
      15_000,
      () => `Alertmanager did not get ready:\n${log}`,
    );

    const post = (l: Record<string, string>) =>
      fetch(`${base}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ labels: l, annotations: rule.annotations, startsAt: new Date().toISOString() }]),
      });
    assert.equal((await post(labels)).status, 200);
    assert.equal((await post({ ...labels, severity: 'critical', compose_service: 'ollama' })).status, 200);

    await waitFor(
      async () => received.length >= 2,
      20_000,
      () => `the receivers got ${JSON.stringify(received)}\n${log}`,
    );
    const ops = received.find((r) => r.path === '/ops');
    const pager = received.find((r) => r.path === '/pager');
    assert.ok(ops && pager, JSON.stringify(received));
    assert.equal(ops.body.receiver, 'ops');
    assert.equal(ops.body.status, 'firing');
    assert.deepEqual(
      ops.body.alerts.map((a: Doc) => a.labels),
      [labels],
    );
    assert.equal(ops.body.alerts[0].annotations.dashboard, rule.annotations.dashboard);
    assert.deepEqual(ops.body.groupLabels, { alertname: rule.alert, compose_project: 'aixcl', compose_service: 'postgres' });
    assert.equal(pager.body.receiver, 'pager');
    assert.equal(pager.body.alerts[0].labels.compose_service, 'ollama');
  });
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function waitFor(check: () => Promise<boolean>, ms: number, why: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(why());
}

describe('Alertmanager: one report per mistake', () => {
  it("reports an empty receiver name once, at the Alertmanager; an override's empty name in the file is still reported", async () => {
    const { App } = await import('../src/index.js');
    const { problemsOf } = await import('./support/problems.js');
    const app = new App();
    new Alertmanager(new Stack(app, 'shop'), 'alertmanager', { defaultReceiver: Receiver.none('') });
    assert.deepEqual(problemsOf(app), [
      `[shop/alertmanager] receiver '': the name "" is not usable: use letters, digits, '.', '_' and '-' (e.g. 'ops-webhook')`,
    ]);

    const app2 = new App();
    const am = new Alertmanager(new Stack(app2, 'shop'), 'alertmanager', { defaultReceiver: Receiver.none('ops') });
    am.config.addOverride('receivers', [{ name: '' }]);
    const lines = problemsOf(app2);
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0], /^\[shop\/alertmanager\/Config\] the Alertmanager configuration would not load \(check addOverride calls\): receivers\[0\]\.name: /);
  });
});
