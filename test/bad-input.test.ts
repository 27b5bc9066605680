// Bad input checked in process, for the mistakes of the logging constructs not yet in the corpus
// of stack files (test/bad-input/, run through the CLI by bad-input-corpus.test.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Construct } from 'constructs';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as logs from '@grafana/grafana-foundation-sdk/logs';
import * as lokiSdk from '@grafana/grafana-foundation-sdk/loki';
import {
  CollectorKind,
  App,
  Duration,
  Grafana,
  Logging,
  Loki,
  NetworkMode,
  Prometheus,
  Promtail,
  Service,
  Size,
  Stack,
  UserError,
  Volume,
} from '../src/index.js';
import { problemsOf } from './support/problems.js';

type Case = { name: string; build: (stack: Stack, app: App) => void; expect: string; mode?: NetworkMode };

const logging = (stack: Construct, props = {}) => new Logging(stack, 'logging', props);
const panel = (expr: string, uid = 'loki') =>
  new logs.PanelBuilder().title('Mine').datasource({ type: 'loki', uid }).withTarget(new lokiSdk.DataqueryBuilder().expr(expr).refId('A'));

const CASES: Case[] = [
  {
    name: 'a port used by two services (host networking: Grafana and a user service on 3000)',
    mode: NetworkMode.HOST,
    build: (s) => {
      logging(s);
      new Service(s, 'web', { image: 'busybox:1', ports: [{ containerPort: 3000 }] });
    },
    expect: '[s] host port 3000/tcp is used by s/logging/grafana/Service and s/web: give each service its own port',
  },
  {
    name: 'log retention under 24h',
    build: (s) => void logging(s, { retention: Duration.hours(12) }),
    expect: "[s/logging/loki] retention of 12h is below Loki's minimum of 24h",
  },
  {
    name: 'a dashboard query that is not valid LogQL',
    build: (s) => {
      const l = logging(s);
      l.grafana.addDashboard('mine', {
        dashboard: new dashboard.DashboardBuilder('Mine').uid('mine').withPanel(panel('{compose_service="postgres" |~ "error"')),
      });
    },
    expect: "[s/logging/grafana/mine] panel 'Mine', query A: invalid LogQL at line 1, column 29: unexpected '|'",
  },
  {
    name: 'a dashboard referencing a datasource that does not exist',
    build: (s) => {
      const l = logging(s);
      l.grafana.addDashboard('mine', { dashboard: new dashboard.DashboardBuilder('Mine').uid('mine').withPanel(panel('{compose_service="x"}', 'logs')) });
    },
    expect: "[s/logging/grafana/mine] references datasource uid 'logs', which this Grafana does not provision",
  },
  {
    name: 'a dashboard query using a variable the dashboard does not declare',
    build: (s) => {
      const l = logging(s);
      l.grafana.addDashboard('mine', { dashboard: new dashboard.DashboardBuilder('Mine').uid('mine').withPanel(panel('{compose_service=~"$svc"}')) });
    },
    expect:
      "[s/logging/grafana/mine] panel 'Mine', query A: invalid LogQL at line 1, column 20: the query references the variable '$svc', which the dashboard does not declare",
  },
  {
    name: 'Promtail with no Loki to push to',
    build: (s) => void new Promtail(s, 'promtail', {} as never),
    expect: '[s/promtail] loki must be a Loki, got undefined (it is required): pass a Loki of this stack (the object that `new Loki(...)` returned)',
  },
  {
    name: 'Loki with nothing shipping logs to it',
    build: (s) => void new Loki(s, 'loki'),
    expect: '[s/loki] Loki has no log collector pushing to it: add a Promtail with { loki: <this> }',
  },
  {
    name: 'Promtail pushing to the Loki of another stack',
    build: (s, app) => {
      const other = new Stack(app, 'other');
      const loki = new Loki(other, 'loki');
      new Promtail(other, 'promtail', { loki });
      new Promtail(s, 'promtail', { loki });
    },
    expect: '[s/promtail] pushes to other/loki, which is in another stack',
  },
  {
    name: 'an image tag that is not a version (Loki)',
    build: (s) => void logging(s, { loki: { image: 'grafana/loki:latest' } }),
    expect: "[s/logging/loki] unknown image version format in 'grafana/loki:latest'",
  },
  {
    name: 'an image tag that is not a version (Promtail)',
    build: (s) => void logging(s, { promtail: { image: 'grafana/promtail:main' } }),
    expect: "[s/logging/promtail] unknown image version format in 'grafana/promtail:main'",
  },
  {
    name: 'a Promtail version that does not exist (3.7)',
    build: (s) => void logging(s, { promtail: { image: 'grafana/promtail:3.7.0' } }),
    expect: "[s/logging/promtail] image 'grafana/promtail:3.7.0' does not exist: Promtail's last release line is 3.6.x",
  },
  {
    name: 'Loki 3.6.0 (ships /loki owned by root)',
    build: (s) => void logging(s, { loki: { image: 'grafana/loki:3.6.0' } }),
    expect: '[s/logging/loki] Loki 3.6.0 ships /loki owned by root and cannot start as uid 10001: pin 3.6.5 or later',
  },
  {
    name: 'a Loki without shell nor health command (3.6.3)',
    build: (s) => void logging(s, { loki: { image: 'grafana/loki:3.6.3' } }),
    expect: "[s/logging/loki] Loki 3.6.3 has no shell and no 'loki -health' command, so no healthcheck can work in it: pin 3.6.5+ or 3.7.x",
  },
  {
    name: 'a Loki memory limit that gets it OOM-killed',
    build: (s) => void logging(s, { loki: { memoryLimit: Size.mebibytes(96) } }),
    expect: '[s/logging/loki] memoryLimit of 96m is too small: Loki idles near 90 MiB and gets OOM-killed under load',
  },
  {
    name: 'an unknown key in the Loki config (through the escape hatch)',
    build: (s) => logging(s).loki.config.addOverride('limits_config.retention_periode', '24h'),
    expect:
      '[s/logging/loki/Config] the Loki configuration would not load in Loki 3.7 (check addOverride calls): `limits_config.retention_periode` is not a setting of Loki 3.7 (Loki refuses to start on an unknown key): did you mean `retention_period`?',
  },
  {
    name: 'a key Loki 3 removed (storage_config.boltdb_shipper.shared_store)',
    build: (s) => logging(s).loki.config.addOverride('storage_config.boltdb_shipper.shared_store', 'filesystem'),
    expect:
      '[s/logging/loki/Config] the Loki configuration would not load in Loki 3.7 (check addOverride calls): `storage_config.boltdb_shipper.shared_store` is not a setting of Loki 3.7 (Loki refuses to start on an unknown key): removed in Loki 3.0',
  },
  {
    name: 'retention without the delete request store',
    build: (s) => logging(s).loki.config.addOverride('compactor.delete_request_store', undefined),
    expect:
      '[s/logging/loki/Config] the Loki configuration would not load in Loki 3.7 (check addOverride calls): `compactor.delete_request_store` is required when compactor.retention_enabled is true',
  },
  {
    name: 'an unknown key in the Promtail config',
    build: (s) => logging(s, { collector: CollectorKind.PROMTAIL }).promtail!.config.addOverride('server.http_port', 9080),
    expect: '[s/logging/promtail/Config] the Promtail config would not load (check overrides): server: Unrecognized key: "http_port"',
  },
  {
    name: 'a volume of another stack',
    build: (s, app) => new Service(s, 'a', { image: 'busybox:1' }).addVolume(new Volume(new Stack(app, 'other'), 'data'), '/data'),
    expect: '[s/a] volume other/data belongs to another stack',
  },
  {
    name: 'two datasources with one uid',
    build: (s) => {
      const l = logging(s);
      l.grafana.addPrometheusDatasource({ prometheus: new Prometheus(s, 'prometheus'), uid: 'loki' });
    },
    expect: "[s/logging/grafana] datasource uid 'loki' is already used by s/logging/grafana/Datasource-loki: give each datasource of a Grafana its own uid",
  },
  {
    name: 'a logs dashboard of a project that no collector of its Loki collects',
    build: (s) => {
      const l = logging(s, { promtail: { project: 'shop' } });
      const other = new Grafana(s, 'g2', { serviceName: 'grafana2', port: 3001 });
      other.addLogsDashboard({ datasource: other.addLokiDatasource({ loki: l.loki }), project: 'wrong' });
    },
    expect:
      "[s/g2/LogsDashboard] shows the logs of project 'wrong', but s/logging/loki only receives logs of 'shop': set { project: 'shop' } or collect 'wrong'",
  },
];

describe('every problem at once', () => {
  test('validation problems and problems found while rendering files are reported together', () => {
    const app = new App();
    const stack = new Stack(app, 's');
    const l = logging(stack, { retention: Duration.hours(12) });
    l.loki.config.addOverride('limits_config.retention_periode', '24h');
    new Service(stack, 'a', { image: 'busybox:1' }).addOverride('mem_limt', '1g');
    const lines = problemsOf(app);
    for (const start of [
      '[s/logging/loki] retention of 12h is below',
      '[s/logging/loki/Config] the Loki configuration would not load',
      '[s/ComposeFile] the compose file does not match the compose-spec schema',
    ]) {
      assert.equal(lines.filter((l) => l.startsWith(start)).length, 1, `${start}\n in:\n${lines.join('\n')}`);
    }
  });

  test('two stacks with one project name', () => {
    const app = new App();
    new Service(new Stack(app, 'one', { projectName: 'same' }), 'web', { image: 'busybox:1' });
    new Service(new Stack(app, 'two', { projectName: 'same' }), 'db', { image: 'busybox:1' });
    assert.ok(
      problemsOf(app).includes("[two] project name 'same' is also used by one: give each stack its own projectName (they would share containers and output)"),
    );
  });
});

describe('bad input: one clear message with the construct path and the fix', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const app = new App();
      const stack = new Stack(app, 's', { networkMode: c.mode ?? NetworkMode.BRIDGE });
      let lines: string[];
      try {
        c.build(stack, app);
        lines = problemsOf(app);
      } catch (e) {
        // Some mistakes stop construction at once (no stack can be built around them).
        if (!UserError.isUserError(e)) throw e;
        lines = [e.message];
      }
      const hit = lines.filter((l) => l.startsWith(c.expect));
      assert.equal(hit.length, 1, `expected exactly one problem starting with:\n  ${c.expect}\ngot:\n  ${lines.join('\n  ')}`);
    });
  }
});
