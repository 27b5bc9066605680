import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { App, checkComposeSchema, Duration, NetworkMode, Secret, Size, Stack, StackProps, Testing, writeSynthesis } from '../src/index.js';
import { Prometheus } from '../src/prometheus/index.js';
import { Cadvisor, NodeExporter, Ollama, OpenWebUI, PgAdmin, Postgres, PostgresExporter } from '../src/services/index.js';
import { assertProblem } from './support/problems.js';
import { tempDir } from './support/temp.js';

type Doc = Record<string, any>;

/** The AIXCL set: the seven services and Prometheus. */
function aixcl(stackProps: StackProps = {}) {
  const app = new App();
  const stack = new Stack(app, 'aixcl', stackProps);
  const ollama = new Ollama(stack, 'ollama');
  const openWebUI = new OpenWebUI(stack, 'open-webui', { ollama });
  const postgres = new Postgres(stack, 'postgres');
  const pgAdmin = new PgAdmin(stack, 'pgadmin', { postgres });
  const cadvisor = new Cadvisor(stack, 'cadvisor');
  const nodeExporter = new NodeExporter(stack, 'node-exporter');
  const postgresExporter = new PostgresExporter(stack, 'postgres-exporter', { postgres });
  const prometheus = new Prometheus(stack, 'prometheus');
  return { app, stack, ollama, openWebUI, postgres, pgAdmin, cadvisor, nodeExporter, postgresExporter, prometheus };
}

const composeOf = (stack: Stack): Doc => parse(Testing.synth(stack)['docker-compose.yml']);
const SECRET_REF = (name: string) => new RegExp(`^\\$\\{${name}:\\?[^}]+\\}$`);

describe('AIXCL services on a bridge', () => {
  const { stack, ollama, openWebUI, postgres, pgAdmin, cadvisor, nodeExporter, postgresExporter } = aixcl();
  const s = composeOf(stack).services;

  test('ollama: pinned image, OLLAMA_HOST on all addresses, models volume, `ollama list` healthcheck, no memory cap', () => {
    assert.equal(s.ollama.image, 'ollama/ollama:0.12.3');
    assert.deepEqual(s.ollama.environment, { OLLAMA_HOST: '0.0.0.0:11434' });
    assert.deepEqual(s.ollama.ports, [{ target: 11434, published: '11434', host_ip: '127.0.0.1', protocol: 'tcp' }]);
    assert.deepEqual(s.ollama.volumes, [{ type: 'volume', source: 'ollama-data', target: '/root/.ollama' }]);
    assert.deepEqual(s.ollama.healthcheck.test, ['CMD', 'ollama', 'list']);
    assert.equal(s.ollama.mem_limit, undefined);
    assert.equal(ollama.url, 'http://ollama:11434');
  });

  test('open-webui: talks to ollama by its URL, secret key from the environment, curl healthcheck, starts after ollama', () => {
    assert.equal(s['open-webui'].image, 'ghcr.io/open-webui/open-webui:v0.6.33');
    assert.equal(s['open-webui'].environment.OLLAMA_BASE_URL, 'http://ollama:11434');
    assert.equal(s['open-webui'].environment.HOST, '0.0.0.0');
    assert.equal(s['open-webui'].environment.PORT, '8080');
    assert.match(s['open-webui'].environment.WEBUI_SECRET_KEY, SECRET_REF('WEBUI_SECRET_KEY'));
    assert.deepEqual(s['open-webui'].volumes, [{ type: 'volume', source: 'open-webui-data', target: '/app/backend/data' }]);
    assert.deepEqual(s['open-webui'].healthcheck.test, ['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://127.0.0.1:8080/health']);
    assert.deepEqual(s['open-webui'].depends_on, { ollama: { condition: 'service_started' } });
    assert.equal(s['open-webui'].mem_limit, '2g');
    assert.equal(openWebUI.url, 'http://open-webui:8080');
  });

  test('postgres: user, database and secret password, data volume, pg_isready over TCP, default listen addresses', () => {
    assert.equal(s.postgres.image, 'postgres:17.6');
    assert.equal(s.postgres.command, undefined);
    assert.equal(s.postgres.environment.POSTGRES_USER, 'aixcl');
    assert.equal(s.postgres.environment.POSTGRES_DB, 'aixcl');
    assert.match(s.postgres.environment.POSTGRES_PASSWORD, SECRET_REF('POSTGRES_PASSWORD'));
    assert.deepEqual(s.postgres.volumes, [{ type: 'volume', source: 'postgres-data', target: '/var/lib/postgresql/data' }]);
    assert.deepEqual(s.postgres.healthcheck.test, ['CMD', 'pg_isready', '-U', 'aixcl', '-d', 'aixcl', '-h', '127.0.0.1', '-p', '5432']);
    assert.equal(postgres.address, 'postgres:5432');
    assert.equal(postgres.url, 'postgresql://aixcl@postgres:5432/aixcl');
  });

  test('pgadmin: listen address and port, login, secret password, no mail server, wget healthcheck, starts after postgres', () => {
    const env = s.pgadmin.environment;
    assert.equal(s.pgadmin.image, 'dpage/pgadmin4:9.8');
    assert.equal(env.PGADMIN_LISTEN_ADDRESS, '0.0.0.0');
    assert.equal(env.PGADMIN_LISTEN_PORT, '5050');
    assert.equal(env.PGADMIN_DEFAULT_EMAIL, 'admin@example.com');
    assert.match(env.PGADMIN_DEFAULT_PASSWORD, SECRET_REF('PGADMIN_PASSWORD'));
    assert.equal(env.PGADMIN_DISABLE_POSTFIX, 'true');
    assert.deepEqual(s.pgadmin.ports, [{ target: 5050, published: '5050', host_ip: '127.0.0.1', protocol: 'tcp' }]);
    assert.deepEqual(s.pgadmin.volumes, [{ type: 'volume', source: 'pgadmin-data', target: '/var/lib/pgadmin' }]);
    assert.deepEqual(s.pgadmin.healthcheck.test, ['CMD', 'wget', '-q', '--spider', 'http://127.0.0.1:5050/misc/ping']);
    assert.deepEqual(s.pgadmin.depends_on, { postgres: { condition: 'service_started' } });
    assert.equal(pgAdmin.url, 'http://pgadmin:5050');
  });

  test('cadvisor: port 8081, only the Compose labels as metric labels, read-only host mounts, not privileged', () => {
    assert.equal(s.cadvisor.image, 'ghcr.io/google/cadvisor:v0.56.2');
    assert.deepEqual(s.cadvisor.command, [
      '--port=8081',
      '--listen_ip=0.0.0.0',
      '--docker_only=true',
      '--store_container_labels=false',
      '--whitelisted_container_labels=com.docker.compose.project,com.docker.compose.service',
      '--housekeeping_interval=10s',
    ]);
    assert.deepEqual(
      s.cadvisor.volumes.map((v: Doc) => [v.type, v.source, v.target, v.read_only]),
      [
        ['bind', '/', '/rootfs', true],
        ['bind', '/var/run', '/var/run', true],
        ['bind', '/sys', '/sys', true],
        ['bind', '/var/lib/docker', '/var/lib/docker', true],
      ],
    );
    assert.equal(s.cadvisor.privileged, undefined);
    assert.deepEqual(s.cadvisor.healthcheck.test, ['CMD', 'wget', '-q', '--spider', 'http://127.0.0.1:8081/healthz']);
    assert.deepEqual(cadvisor.service.metrics, { port: 8081, path: '/metrics' });
  });

  test('node-exporter: host root read-only on /host, host PID namespace, wget healthcheck', () => {
    assert.equal(s['node-exporter'].image, 'prom/node-exporter:v1.9.1');
    assert.deepEqual(s['node-exporter'].command, ['--path.rootfs=/host', '--web.listen-address=0.0.0.0:9100']);
    assert.deepEqual(s['node-exporter'].volumes, [{ type: 'bind', source: '/', target: '/host', read_only: true }]);
    assert.equal(s['node-exporter'].pid, 'host');
    assert.deepEqual(s['node-exporter'].healthcheck.test, ['CMD', 'wget', '-q', '--spider', 'http://127.0.0.1:9100/metrics']);
    assert.equal(nodeExporter.url, 'http://node-exporter:9100');
  });

  test('postgres-exporter: data source derived from postgres, same secret, waits for postgres to be healthy', () => {
    const env = s['postgres-exporter'].environment;
    assert.equal(s['postgres-exporter'].image, 'prometheuscommunity/postgres-exporter:v0.17.1');
    assert.equal(env.DATA_SOURCE_URI, 'postgres:5432/aixcl?sslmode=disable');
    assert.equal(env.DATA_SOURCE_USER, 'aixcl');
    assert.equal(env.DATA_SOURCE_PASS, s.postgres.environment.POSTGRES_PASSWORD);
    assert.deepEqual(s['postgres-exporter'].command, ['--web.listen-address=0.0.0.0:9187']);
    assert.deepEqual(s['postgres-exporter'].depends_on, { postgres: { condition: 'service_healthy' } });
    assert.deepEqual(s['postgres-exporter'].healthcheck.test, ['CMD', 'wget', '-q', '--spider', 'http://127.0.0.1:9187/metrics']);
    assert.equal(postgresExporter.postgres, postgres);
  });
});

describe('AIXCL services on host networking', () => {
  test('every service listens on the bind address and is reached at localhost', () => {
    const { stack, ollama, postgres } = aixcl({ networkMode: NetworkMode.HOST });
    const s = composeOf(stack).services;
    for (const name of Object.keys(s)) {
      assert.equal(s[name].network_mode, 'host', name);
      assert.equal(s[name].ports, undefined, name);
    }
    assert.equal(s.ollama.environment.OLLAMA_HOST, '127.0.0.1:11434');
    assert.equal(s['open-webui'].environment.HOST, '127.0.0.1');
    assert.equal(s['open-webui'].environment.OLLAMA_BASE_URL, 'http://localhost:11434');
    assert.deepEqual(s.postgres.command, ['postgres', '-c', 'listen_addresses=127.0.0.1']);
    assert.equal(s.pgadmin.environment.PGADMIN_LISTEN_ADDRESS, '127.0.0.1');
    assert.ok(s.cadvisor.command.includes('--listen_ip=127.0.0.1'));
    assert.ok(s['node-exporter'].command.includes('--web.listen-address=127.0.0.1:9100'));
    assert.deepEqual(s['postgres-exporter'].command, ['--web.listen-address=127.0.0.1:9187']);
    assert.equal(s['postgres-exporter'].environment.DATA_SOURCE_URI, 'localhost:5432/aixcl?sslmode=disable');
    assert.equal(ollama.url, 'http://localhost:11434');
    assert.equal(postgres.address, 'localhost:5432');
  });

  test('an IPv6 bind address is bracketed where a program joins it with a port, and probed on itself', () => {
    const { stack } = aixcl({ networkMode: NetworkMode.HOST, bindAddress: '::1' });
    const s = composeOf(stack).services;
    assert.equal(s.ollama.environment.OLLAMA_HOST, '[::1]:11434');
    assert.equal(s['open-webui'].environment.HOST, '::1');
    assert.deepEqual(s.postgres.command, ['postgres', '-c', 'listen_addresses=::1']);
    assert.deepEqual(s.postgres.healthcheck.test.slice(6, 8), ['-h', '::1']);
    assert.equal(s.pgadmin.environment.PGADMIN_LISTEN_ADDRESS, '[::1]');
    assert.ok(s.cadvisor.command.includes('--listen_ip=[::1]'));
    assert.deepEqual(s.pgadmin.healthcheck.test.at(-1), 'http://[::1]:5050/misc/ping');
    assert.ok(s['node-exporter'].command.includes('--web.listen-address=[::1]:9100'));
  });

  test('a wildcard bind address is probed on loopback', () => {
    const { stack } = aixcl({ networkMode: NetworkMode.HOST, bindAddress: '0.0.0.0' });
    const s = composeOf(stack).services;
    assert.equal(s.ollama.environment.OLLAMA_HOST, '0.0.0.0:11434');
    assert.deepEqual(s.cadvisor.healthcheck.test.at(-1), 'http://127.0.0.1:8081/healthz');
    assert.deepEqual(s.postgres.healthcheck.test.slice(6, 8), ['-h', '127.0.0.1']);
  });

  test('two services on one port are refused, naming both', () => {
    const app = new App();
    const stack = new Stack(app, 'demo', { networkMode: NetworkMode.HOST });
    const ollama = new Ollama(stack, 'ollama');
    new OpenWebUI(stack, 'open-webui', { ollama });
    new Cadvisor(stack, 'cadvisor', { port: 8080 });
    assertProblem(app, '[demo] host port 8080/tcp is used by demo/open-webui/Service and demo/cadvisor/Service');
  });

  test('cadvisor on its default port does not clash with open-webui', () => {
    const app = new App();
    const stack = new Stack(app, 'demo', { networkMode: NetworkMode.HOST });
    new OpenWebUI(stack, 'open-webui', { ollama: new Ollama(stack, 'ollama') });
    new Cadvisor(stack, 'cadvisor');
    assert.doesNotThrow(() => Testing.synth(stack));
  });
});

describe('secrets', () => {
  test('secrets appear only as ${VAR:?...} references, never as values', () => {
    const saved = { ...process.env };
    process.env.POSTGRES_PASSWORD = 'pg-clear-value';
    process.env.PGADMIN_PASSWORD = 'pgadmin-clear-value';
    process.env.WEBUI_SECRET_KEY = 'webui-clear-value';
    try {
      const { stack } = aixcl();
      const files = Testing.synth(stack);
      for (const [path, text] of Object.entries(files)) {
        assert.ok(!/clear-value/.test(text), `${path} holds a clear secret`);
      }
      const refs = files['docker-compose.yml'].match(/\$\{[A-Z_]+:\?/g) ?? [];
      assert.deepEqual([...new Set(refs)].sort(), ['${PGADMIN_PASSWORD:?', '${POSTGRES_PASSWORD:?', '${WEBUI_SECRET_KEY:?']);
    } finally {
      for (const k of ['POSTGRES_PASSWORD', 'PGADMIN_PASSWORD', 'WEBUI_SECRET_KEY']) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });

  test('a custom postgres secret is shared with the exporter', () => {
    const app = new App();
    const stack = new Stack(app, 'demo');
    const postgres = new Postgres(stack, 'db', { password: Secret.fromEnv('DB_ROOT_PW') });
    new PostgresExporter(stack, 'exporter', { postgres });
    const s = composeOf(stack).services;
    assert.match(s.postgres.environment.POSTGRES_PASSWORD, SECRET_REF('DB_ROOT_PW'));
    assert.equal(s['postgres-exporter'].environment.DATA_SOURCE_PASS, s.postgres.environment.POSTGRES_PASSWORD);
  });
});

describe('service props', () => {
  test('a renamed postgres on another port keeps the exporter and the healthcheck in step', () => {
    const app = new App();
    const stack = new Stack(app, 'demo');
    const postgres = new Postgres(stack, 'pg', { serviceName: 'db', port: 5433, user: 'app', database: 'appdb', memoryLimit: Size.mebibytes(768) });
    new PostgresExporter(stack, 'exporter', { postgres });
    const s = composeOf(stack).services;
    assert.equal(s.db.environment.PGPORT, '5433');
    assert.equal(s.db.mem_limit, '768m');
    assert.deepEqual(s.db.volumes, [{ type: 'volume', source: 'db-data', target: '/var/lib/postgresql/data' }]);
    assert.deepEqual(s.db.healthcheck.test, ['CMD', 'pg_isready', '-U', 'app', '-d', 'appdb', '-h', '127.0.0.1', '-p', '5433']);
    assert.equal(s['postgres-exporter'].environment.DATA_SOURCE_URI, 'db:5433/appdb?sslmode=disable');
    assert.deepEqual(s['postgres-exporter'].depends_on, { db: { condition: 'service_healthy' } });
  });

  test('postgres 18 and later get the volume on /var/lib/postgresql, where that image keeps its data', () => {
    for (const [image, target] of [
      ['postgres:18.1', '/var/lib/postgresql'],
      ['postgres:latest', '/var/lib/postgresql'],
      ['postgres:16.4-bookworm', '/var/lib/postgresql/data'],
      // Major-only tags: 17 still keeps its data under /data (else it would land in an anonymous volume).
      ['postgres:17', '/var/lib/postgresql/data'],
      ['postgres:17-alpine', '/var/lib/postgresql/data'],
      ['postgres:18', '/var/lib/postgresql'],
    ]) {
      const app = new App();
      const stack = new Stack(app, 'demo');
      new Postgres(stack, 'postgres', { image });
      assert.equal(composeOf(stack).services.postgres.volumes[0].target, target, image);
    }
  });

  test('a postgres user that needs quoting is refused', () => {
    const app = new App();
    const stack = new Stack(app, 'demo');
    new Postgres(stack, 'postgres', { user: 'Admin-User' });
    assertProblem(app, "[demo/postgres] user 'Admin-User' is not a plain PostgreSQL identifier");
  });

  test('a pgadmin login on a reserved domain is refused', () => {
    const app = new App();
    const stack = new Stack(app, 'demo');
    new PgAdmin(stack, 'pgadmin', { postgres: new Postgres(stack, 'postgres'), email: 'admin@localhost' });
    assertProblem(app, "[demo/pgadmin] email 'admin@localhost' is not an address pgAdmin accepts");
  });

  test('open-webui follows a renamed ollama; cadvisor can be made privileged', () => {
    const app = new App();
    const stack = new Stack(app, 'demo');
    const ollama = new Ollama(stack, 'llm', { serviceName: 'llm', port: 11500, memoryLimit: Size.gibibytes(16) });
    new OpenWebUI(stack, 'ui', { ollama, serviceName: 'ui', port: 3001 });
    new Cadvisor(stack, 'cadvisor', { privileged: true, housekeepingInterval: Duration.seconds(30) });
    const s = composeOf(stack).services;
    assert.equal(s.llm.environment.OLLAMA_HOST, '0.0.0.0:11500');
    assert.equal(s.llm.mem_limit, '16g');
    assert.deepEqual(s.llm.volumes[0].source, 'llm-data');
    assert.equal(s.ui.environment.OLLAMA_BASE_URL, 'http://llm:11500');
    assert.equal(s.ui.environment.PORT, '3001');
    assert.deepEqual(s.ui.depends_on, { llm: { condition: 'service_started' } });
    assert.equal(s.cadvisor.privileged, true);
    assert.ok(s.cadvisor.command.includes('--housekeeping_interval=30s'));
  });
});

describe('the AIXCL set', () => {
  for (const mode of [NetworkMode.HOST, NetworkMode.BRIDGE]) {
    test(`synthesizes on ${mode} networking, passes the compose schema, and Prometheus scrapes every exporter`, () => {
      const { stack } = aixcl({ networkMode: mode });
      const files = Testing.synth(stack);
      const compose = parse(files['docker-compose.yml']);
      assert.deepEqual(checkComposeSchema(compose), []);
      assert.deepEqual(Object.keys(compose.services), [
        'cadvisor',
        'node-exporter',
        'ollama',
        'open-webui',
        'pgadmin',
        'postgres',
        'postgres-exporter',
        'prometheus',
      ]);
      for (const [name, svc] of Object.entries<Doc>(compose.services)) {
        assert.ok(svc.healthcheck?.test?.[0] === 'CMD', `${name} has an exec-form healthcheck`);
      }
      const host = (n: string) => (mode === NetworkMode.HOST ? 'localhost' : n);
      const prom = parse(files['prometheus/prometheus.yml']);
      assert.deepEqual(
        prom.scrape_configs.map((j: Doc) => [j.job_name, j.static_configs[0].targets[0]]),
        [
          ['cadvisor', `${host('cadvisor')}:8081`],
          ['node-exporter', `${host('node-exporter')}:9100`],
          ['postgres-exporter', `${host('postgres-exporter')}:9187`],
          ['prometheus', `${host('prometheus')}:9090`],
        ],
      );
    });
  }

  test('docker compose config accepts the generated file, and stops without the secrets', () => {
    const probe = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      // The reference check needs the compose v2 plugin, which the CI setup installs before the tests.
      assert.fail(`docker compose v2 is needed for this check: ${probe.stderr || probe.error}`);
    }
    for (const mode of [NetworkMode.HOST, NetworkMode.BRIDGE]) {
      const { app } = aixcl({ networkMode: mode });
      const out = join(tempDir('services'), 'out');
      writeSynthesis(out, app.synthesize());
      const file = join(out, 'docker-compose.yml');
      const secrets = { POSTGRES_PASSWORD: 'a', PGADMIN_PASSWORD: 'b', WEBUI_SECRET_KEY: 'c' };
      const missing = spawnSync('docker', ['compose', '-f', file, 'config', '-q'], {
        encoding: 'utf8',
        env: { ...process.env, ...secrets, PGADMIN_PASSWORD: '' },
      });
      assert.notEqual(missing.status, 0, 'an unset secret must stop compose');
      assert.match(missing.stderr, /PGADMIN_PASSWORD/);
      execFileSync('docker', ['compose', '-f', file, 'config', '-q'], { env: { ...process.env, ...secrets } });
    }
  });
});
