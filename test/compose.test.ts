import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import {
  AixclStack,
  App,
  checkComposeSchema,
  CONFIG_HASH_LABEL,
  DependencyCondition,
  DocumentFile,
  EnvRef,
  Interpolation,
  secretVariables,
  Healthcheck,
  Network,
  NetworkMode,
  Secret,
  Service,
  Size,
  Stack,
  Testing,
  Volume,
  writeSynthesis,
} from '../src/index.js';
import { assertProblem } from './support/problems.js';
import { tempDir } from './support/temp.js';

type Doc = { services: Record<string, Record<string, any>>; [k: string]: any };
const compose = (stack: Stack): Doc => parse(Testing.synth(stack)['docker-compose.yml']);

class Conf extends DocumentFile {
  constructor(scope: Construct, id: string, public value: number) {
    super(scope, id, { filePath: `conf/${id}.yml` });
  }
  protected buildDocument(): unknown {
    return { value: this.value };
  }
}

describe('Service rendering', () => {
  test('bridge networking publishes ports on 127.0.0.1 and derives URLs from service names', () => {
    const app = new App();
    const stack = new Stack(app, 'demo', { networkMode: NetworkMode.BRIDGE });
    const api = new Service(stack, 'api', { image: 'busybox:1.36', ports: [{ containerPort: 8080, hostPort: 18080, scheme: 'http' }] });
    const doc = compose(stack);
    assert.equal(doc.name, 'demo');
    assert.deepEqual(doc.services.api.ports, [{ target: 8080, published: '18080', host_ip: '127.0.0.1', protocol: 'tcp' }]);
    assert.equal(doc.services.api.network_mode, undefined);
    assert.equal(api.url(8080, '/ready'), 'http://api:8080/ready');
    assert.equal(api.hostUrl(8080), 'http://localhost:18080');
  });

  test('host networking uses network_mode host and localhost URLs, and publishes nothing', () => {
    const app = new App();
    const stack = new Stack(app, 'demo', { networkMode: NetworkMode.HOST });
    const api = new Service(stack, 'api', { image: 'busybox:1.36', ports: [{ containerPort: 8080, scheme: 'http' }] });
    const doc = compose(stack);
    assert.equal(doc.services.api.network_mode, 'host');
    assert.equal(doc.services.api.ports, undefined);
    assert.equal(api.url(8080), 'http://localhost:8080');
    assert.equal(stack.listenAddress, '127.0.0.1');
  });

  test('host URLs: only for published ports, with the port\'s scheme', () => {
    const app = new App();
    const stack = new Stack(app, 'demo', { networkMode: NetworkMode.HOST });
    const db = new Service(stack, 'db', {
      image: 'postgres:17.6',
      ports: [{ containerPort: 5432, scheme: 'postgresql' }, { containerPort: 9096, publish: false }],
    });
    assert.equal(db.hostUrl(5432), 'postgresql://localhost:5432');
    assert.equal(db.url(5432, '/x'), 'postgresql://localhost:5432/x');
    assert.equal(db.hostUrl(9096), undefined, 'an internal port has no URL for people');
  });

  test('a port that declares no scheme is not claimed to be http://', () => {
    const app = new App();
    const stack = new Stack(app, 'demo', { networkMode: NetworkMode.BRIDGE });
    const redis = new Service(stack, 'redis', { image: 'redis:8.2', ports: [{ containerPort: 6379 }, { containerPort: 8001, scheme: 'http' }] });
    assert.equal(redis.address(6379), 'redis:6379');
    assert.equal(redis.hostUrl(6379), 'localhost:6379', 'an address, not a URL');
    assert.equal(redis.hostUrl(8001, '/ui'), 'http://localhost:8001/ui');
    assert.throws(
      () => redis.url(6379),
      /\[demo\/redis\] port 6379 declares no scheme, so there is no URL to it: give the port a scheme \(e\.g\. \{ containerPort: 6379, scheme: 'http' \}\), or use address\(6379\) for host:port/,
    );
    // Every built-in HTTP service declares it.
    const aixcl = new AixclStack(new App(), 'aixcl', { projectName: 'aixcl' });
    const urls = aixcl.node.findAll().filter(Service.isService).flatMap((s) => s.ports.filter((p) => p.publish !== false).map((p) => s.hostUrl(p.containerPort)!));
    assert.ok(urls.every((u) => /^(http|postgresql):\/\//.test(u)), urls.join(' '));
  });

  test('exposing a stack on the network is explicit', () => {
    const app = new App();
    const stack = new Stack(app, 'demo', { bindAddress: '0.0.0.0' });
    new Service(stack, 'api', { image: 'busybox:1.36', ports: [{ containerPort: 80 }] });
    assert.equal(compose(stack).services.api.ports[0].host_ip, '0.0.0.0');
  });

  test('secrets are ${VAR} references and literal $ is escaped', () => {
    const app = new App();
    const stack = new Stack(app, 'demo');
    new Service(stack, 'db', {
      image: 'postgres:17.6',
      environment: { POSTGRES_PASSWORD: Secret.fromEnv('POSTGRES_PASSWORD'), GREETING: 'costs $5' },
      command: ['sh', '-c', 'echo $HOME'],
      healthcheck: Healthcheck.shell('test -n "$PGDATA"'),
    });
    const text = Testing.synth(stack)['docker-compose.yml'];
    const svc = parse(text).services.db;
    assert.equal(svc.environment.POSTGRES_PASSWORD, '${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in the environment or a .env file}');
    assert.equal(svc.environment.GREETING, 'costs $$5');
    assert.deepEqual(svc.command, ['sh', '-c', 'echo $$HOME']);
    assert.deepEqual(svc.healthcheck.test, ['CMD-SHELL', 'test -n "$$PGDATA"']);
    const labelled = new Service(stack, 'labelled', { image: 'busybox:1', labels: { note: 'costs $5' } });
    labelled.addBind('/srv/cost$', '/data', { readOnly: true });
    const again = parse(Testing.synth(stack)['docker-compose.yml']).services.labelled;
    assert.equal(again.labels.note, 'costs $$5');
    assert.equal(again.volumes[0].source, '/srv/cost$$');
  });

  test('depends_on carries condition and required', () => {
    const app = new App();
    const stack = new Stack(app, 'demo');
    const a = new Service(stack, 'a', { image: 'busybox:1', healthcheck: Healthcheck.command(['true']) });
    const b = new Service(stack, 'b', { image: 'busybox:1' });
    b.addDependency(a, { condition: DependencyCondition.HEALTHY, required: false });
    assert.deepEqual(compose(stack).services.b.depends_on, { a: { condition: 'service_healthy', required: false } });
  });

  test('volumes, read-only binds, memory limit, user and labels', () => {
    const app = new App();
    const stack = new Stack(app, 'demo');
    const v = new Volume(stack, 'data');
    const s = new Service(stack, 's', { image: 'busybox:1', memoryLimit: Size.mebibytes(256), user: '10001', labels: { team: 'ai' } });
    s.addVolume(v, '/data');
    s.addBind('/var/run/docker.sock', '/var/run/docker.sock', { readOnly: true });
    const doc = compose(stack);
    assert.deepEqual(doc.volumes, { data: {} });
    assert.deepEqual(doc.services.s.volumes, [
      { type: 'volume', source: 'data', target: '/data' },
      { type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock', read_only: true },
    ]);
    assert.equal(doc.services.s.mem_limit, '256m');
    assert.equal(doc.services.s.user, '10001');
    assert.deepEqual(doc.services.s.labels, { 'dev.aixcl.image': 'busybox:1', team: 'ai' });
    assert.equal(v.dockerName, 'demo_data');
  });

  test('the config hash follows the content of the generated files a service mounts, and only those', () => {
    const build = (value: number) => {
      const app = new App();
      const stack = new Stack(app, 'demo');
      const conf = new Conf(stack, 'conf-a', value);
      const a = new Service(stack, 'a', { image: 'busybox:1' });
      a.mountGenerated(conf, '/etc/a.yml');
      new Service(stack, 'b', { image: 'busybox:1' }).mountGenerated(new Conf(stack, 'conf-b', 1), '/etc/b.yml');
      return compose(stack).services;
    };
    const [one, two] = [build(1), build(2)];
    assert.match(one.a.labels[CONFIG_HASH_LABEL], /^[0-9a-f]{64}$/);
    assert.notEqual(one.a.labels[CONFIG_HASH_LABEL], two.a.labels[CONFIG_HASH_LABEL]);
    assert.equal(one.b.labels[CONFIG_HASH_LABEL], two.b.labels[CONFIG_HASH_LABEL]);
    assert.deepEqual(one.a.volumes, [{ type: 'bind', source: './conf/conf-a.yml', target: '/etc/a.yml', read_only: true }]);
  });

  test('the escape hatch reaches keys the typed API lacks', () => {
    const app = new App();
    const stack = new Stack(app, 'demo');
    const s = new Service(stack, 's', { image: 'busybox:1' });
    s.addOverride('stop_grace_period', '30s');
    s.addOverride('restart', undefined);
    const svc = compose(stack).services.s;
    assert.equal(svc.stop_grace_period, '30s');
    assert.equal(svc.restart, undefined);
  });
});

describe('compose validation', () => {
  const stackOf = (mode = NetworkMode.BRIDGE) => {
    const app = new App();
    return { app, stack: new Stack(app, 'demo', { networkMode: mode }) };
  };

  test('an override the compose spec rejects fails synthesis', () => {
    const { app, stack } = stackOf();
    new Service(stack, 's', { image: 'busybox:1' }).addOverride('restart_policy', 'always');
    assertProblem(app, /^\[demo\/ComposeFile\] the compose file does not match the compose-spec schema .*restart_policy/);
  });

  test('override values Compose or Docker would refuse fail synthesis: a size, a restart policy', () => {
    const { app, stack } = stackOf();
    const s = new Service(stack, 's', { image: 'busybox:1' });
    s.addOverride('mem_limit', 'lots');
    s.addOverride('restart', 'sometimes');
    s.addOverride('deploy.resources.limits.memory', '1.5x');
    assertProblem(
      app,
      /^\[demo\/ComposeFile\] the compose file has values Compose or Docker would refuse \(check overrides\): services\.s\.mem_limit: "lots" is not a size Compose reads .*; services\.s\.deploy\.resources\.limits\.memory: "1\.5x" is not a size.*; services\.s\.restart: "sometimes" is not a restart policy Docker knows: use no, always, on-failure/,
    );
  });

  test('override values Compose reads are accepted', () => {
    const { stack } = stackOf();
    const s = new Service(stack, 's', { image: 'busybox:1' });
    s.addOverride('mem_limit', '1.5g');
    s.addOverride('shm_size', 67108864);
    s.addOverride('restart', 'on-failure:3');
    const svc = compose(stack).services.s;
    assert.equal(svc.restart, 'on-failure:3');
    assert.equal(svc.mem_limit, '1.5g');
  });

  test('two services on one host port', () => {
    const { app, stack } = stackOf();
    new Service(stack, 'a', { image: 'busybox:1', ports: [{ containerPort: 80, hostPort: 8080 }] });
    new Service(stack, 'b', { image: 'busybox:1', ports: [{ containerPort: 81, hostPort: 8080 }] });
    assertProblem(app, '[demo] host port 8080/tcp is used by demo/a and demo/b');
  });

  test('on host networking, listening ports must differ', () => {
    const { app, stack } = stackOf(NetworkMode.HOST);
    new Service(stack, 'a', { image: 'busybox:1', ports: [{ containerPort: 9000 }] });
    new Service(stack, 'b', { image: 'busybox:1', ports: [{ containerPort: 9000, publish: false }] });
    assertProblem(app, '[demo] host port 9000/tcp is used by demo/a and demo/b: give each service its own port');
  });

  test('a dependency cycle', () => {
    const { app, stack } = stackOf();
    const a = new Service(stack, 'a', { image: 'busybox:1' });
    const b = new Service(stack, 'b', { image: 'busybox:1' });
    a.addDependency(b);
    b.addDependency(a);
    assertProblem(app, '[demo] depends_on has a cycle: a -> b -> a');
  });

  test('waiting for health of a service without a healthcheck', () => {
    const { app, stack } = stackOf();
    const a = new Service(stack, 'a', { image: 'busybox:1' });
    new Service(stack, 'b', { image: 'busybox:1' }).addDependency(a, { condition: DependencyCondition.HEALTHY });
    assertProblem(app, "[demo/b] waits for 'a' to be healthy, but it has no healthcheck");
  });

  test('host networking cannot remap ports', () => {
    const { app, stack } = stackOf(NetworkMode.HOST);
    new Service(stack, 'web', { image: 'nginx:1.27.5', ports: [{ containerPort: 80, hostPort: 8088 }] });
    assertProblem(app, '[demo/web] port 80: on host networking the service listens on the host itself, so hostPort and hostIp cannot apply');
  });

  test('secrets: *_FILE names and non-string values are fine, a URL with a password is not', () => {
    const { app, stack } = stackOf();
    new Service(stack, 'ok', { image: 'busybox:1', environment: { POSTGRES_PASSWORD_FILE: '/run/secrets/pg', PASSWORD_RESET: false } });
    new Service(stack, 'leak', { image: 'busybox:1', environment: { DATABASE_URL: 'postgres://u:hunter2@db/x' } });
    const lines = assertProblem(app, '[demo/leak] environment variable DATABASE_URL holds a URL with a password in clear');
    assert.equal(lines.filter((l) => l.startsWith('[demo/ok]')).length, 0, lines.join('\n'));
  });

  test('any writable socket, or /var/run itself, counts as a writable Docker socket', () => {
    const { app, stack } = stackOf();
    new Service(stack, 'a', { image: 'busybox:1' }).addBind('/run/user/1000/podman/podman.sock', '/var/run/docker.sock');
    new Service(stack, 'b', { image: 'busybox:1' }).addBind('/var/run', '/var/run');
    const lines = assertProblem(app, '[demo/a] the Docker socket is mounted writable (/run/user/1000/podman/podman.sock)');
    assert.ok(lines.some((l) => l.startsWith('[demo/b] the Docker socket is mounted writable (/var/run)')), lines.join('\n'));
  });

  test('bind addresses must be IP addresses; brackets are dropped', () => {
    const app = new App();
    new Service(new Stack(app, 'bad', { bindAddress: 'cafe' }), 's', { image: 'busybox:1' });
    assertProblem(app, "[bad] bindAddress: 'cafe' is not an IP address");
    assert.equal(new Stack(new App(), 'v6', { bindAddress: '[::1]' }).bindAddress, '::1');
  });

  test('a writable Docker socket', () => {
    const { app, stack } = stackOf();
    new Service(stack, 's', { image: 'busybox:1' }).addBind('/var/run/docker.sock', '/var/run/docker.sock');
    assertProblem(app, '[demo/s] the Docker socket is mounted writable (/var/run/docker.sock): mount it with { readOnly: true }');
  });

  test('references across stacks', () => {
    const app = new App();
    const one = new Stack(app, 'one');
    const two = new Stack(app, 'two');
    const v = new Volume(one, 'data');
    const a = new Service(one, 'a', { image: 'busybox:1' });
    const b = new Service(two, 'b', { image: 'busybox:1' });
    b.addVolume(v, '/data');
    b.addDependency(a);
    const lines = assertProblem(app, '[two/b] volume one/data belongs to another stack');
    assert.ok(lines.some((l) => l.startsWith('[two/b] depends on one/a, which is in another stack')));
  });

  test('a URL to a port the service does not declare', () => {
    const { stack } = stackOf();
    const s = new Service(stack, 's', { image: 'busybox:1', ports: [{ containerPort: 80 }] });
    assert.throws(() => s.url(81), /\[demo\/s\] has no port 81; declare it in 'ports' \(declared: 80\)/);
  });

  test('networks do not apply on host networking', () => {
    const { app, stack } = stackOf(NetworkMode.HOST);
    new Network(stack, 'backend');
    new Service(stack, 's', { image: 'busybox:1' });
    assertProblem(app, '[demo/backend] the stack uses host networking, where networks do not apply');
  });

  test('a stack without services', () => {
    const app = new App();
    new Volume(new Stack(app, 'empty'), 'v');
    assertProblem(app, '[empty] the stack has nothing to synthesize: add a Service');
  });
});

describe('compose-spec schema', () => {
  test('accepts what the model generates and rejects unknown keys', () => {
    const app = new App();
    const stack = new Stack(app, 'demo');
    new Service(stack, 's', { image: 'busybox:1', ports: [{ containerPort: 80 }] });
    const doc = compose(stack);
    assert.deepEqual(checkComposeSchema(doc), []);
    doc.services.s.helthcheck = {};
    assert.ok(checkComposeSchema(doc).some((m) => m.includes("'helthcheck'")));
  });

  test('docker compose config accepts the generated file', (t) => {
    const probe = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      // The reference check needs the compose v2 plugin; scripts/ensure-docker.sh installs it before the tests.
      assert.fail(`docker compose v2 is needed for this check: ${probe.stderr || probe.error}`);
    }
    const app = new App();
    const stack = new Stack(app, 'demo');
    const v = new Volume(stack, 'data');
    const a = new Service(stack, 'a', {
      image: 'busybox:1',
      ports: [{ containerPort: 80 }],
      environment: { TOKEN: Secret.fromEnv('DEMO_TOKEN') },
      healthcheck: Healthcheck.command(['true']),
    });
    a.addVolume(v, '/data');
    new Service(stack, 'b', { image: 'busybox:1' }).addDependency(a, { condition: DependencyCondition.HEALTHY, required: false });
    const out = join(tempDir('compose'), 'out');
    writeSynthesis(out, app.synthesize());
    const file = join(out, 'docker-compose.yml');
    const missing = spawnSync('docker', ['compose', '-f', file, 'config', '-q'], { encoding: 'utf8', env: { ...process.env, DEMO_TOKEN: '' } });
    assert.notEqual(missing.status, 0, 'an unset secret must stop compose');
    assert.match(missing.stderr, /DEMO_TOKEN/);
    execFileSync('docker', ['compose', '-f', file, 'config', '-q'], { env: { ...process.env, DEMO_TOKEN: 'x' } });
    t.diagnostic('docker compose config -q accepted the file');
  });

  test('a secret or variable reference in a command reaches the program; a literal $ stays literal (docker compose config)', () => {
    const app = new App();
    const stack = new Stack(app, 'demo', { networkMode: NetworkMode.BRIDGE });
    const password = Secret.fromEnv('REDIS_PASSWORD');
    const redis = new Service(stack, 'redis', {
      image: 'redis:8.2',
      command: ['redis-server', '--requirepass', password, '--loglevel', EnvRef.of('REDIS_LOGLEVEL', { default: 'notice' }), 'costs $5'],
      entrypoint: ['docker-entrypoint.sh', Interpolation.of`--user=${EnvRef.of('REDIS_USER', { required: 'set REDIS_USER' })}:${password}`],
      environment: { GREETING: Interpolation.of`hello ${EnvRef.of('WHO')}, that is $1` },
    });
    const svc = compose(stack).services.redis;
    assert.deepEqual(svc.command, ['redis-server', '--requirepass', '${REDIS_PASSWORD:?set REDIS_PASSWORD in the environment or a .env file}', '--loglevel', '${REDIS_LOGLEVEL:-notice}', 'costs $$5']);
    assert.deepEqual(svc.entrypoint, ['docker-entrypoint.sh', '--user=${REDIS_USER:?set REDIS_USER}:${REDIS_PASSWORD:?set REDIS_PASSWORD in the environment or a .env file}']);
    assert.equal(svc.environment.GREETING, 'hello ${WHO}, that is $$1');
    // The secret in the command is listed with the stack's secrets (synth's hint), once.
    assert.deepEqual(secretVariables(stack), ['REDIS_PASSWORD']);
    assert.equal(redis.secretEnvironment().length, 2);

    // What Compose itself makes of it.
    const out = join(mkdtempSync(join(tmpdir(), 'aixcl-compose-')), 'out');
    try {
      writeSynthesis(out, app.synthesize());
      const env = { ...process.env, REDIS_PASSWORD: 's3cret', REDIS_USER: 'app', WHO: 'world' };
      const cfg = parse(execFileSync('docker', ['compose', '-f', join(out, 'docker-compose.yml'), 'config', '--format', 'yaml'], { env, encoding: 'utf8' }));
      assert.deepEqual(cfg.services.redis.command, ['redis-server', '--requirepass', 's3cret', '--loglevel', 'notice', 'costs $$5']);
      assert.deepEqual(cfg.services.redis.entrypoint, ['docker-entrypoint.sh', '--user=app:s3cret']);
      assert.equal(cfg.services.redis.environment.GREETING, 'hello world, that is $$1');
      // (`config` prints the model re-escaped: `$$` is one literal `$` in the container, as `docker compose config --no-interpolate` and `up` agree.)
    } finally {
      rmSync(join(out, '..'), { recursive: true, force: true });
    }
    assert.throws(() => EnvRef.of('NOT-A-NAME'), /'NOT-A-NAME' is not an environment variable name/);
  });
});
