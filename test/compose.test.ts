import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Construct } from 'constructs';
import { parse, stringify } from 'yaml';
import {
  AixclStack,
  App,
  checkComposeSchema,
  ComposeFile,
  CONFIG_HASH_LABEL,
  DependencyCondition,
  DocumentFile,
  Duration,
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
  Target,
  Testing,
  Volume,
  writeSynthesis,
} from '../src/index.js';
import { parseGoDuration } from '../src/core/go-duration.js';
import { assertProblem, problemsOf } from './support/problems.js';
import { tempDir } from './support/temp.js';

type Doc = { services: Record<string, Record<string, any>>; [k: string]: any };
const compose = (stack: Stack): Doc => parse(Testing.synth(stack)['docker-compose.yml']);

class Conf extends DocumentFile {
  constructor(
    scope: Construct,
    id: string,
    public value: number,
  ) {
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

  test("host URLs: only for published ports, with the port's scheme", () => {
    const app = new App();
    const stack = new Stack(app, 'demo', { networkMode: NetworkMode.HOST });
    const db = new Service(stack, 'db', {
      image: 'postgres:17.6',
      ports: [
        { containerPort: 5432, scheme: 'postgresql' },
        { containerPort: 9096, publish: false },
      ],
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
    const urls = aixcl.node
      .findAll()
      .filter(Service.isService)
      .flatMap((s) => s.ports.filter((p) => p.publish !== false).map((p) => s.hostUrl(p.containerPort)!));
    assert.ok(
      urls.every((u) => /^(http|postgresql):\/\//.test(u)),
      urls.join(' '),
    );
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

const stackOf = (mode = NetworkMode.BRIDGE) => {
  const app = new App();
  return { app, stack: new Stack(app, 'demo', { networkMode: mode }) };
};

describe('compose validation', () => {
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
    // One message per value, at the construct whose override set it.
    const lines = problemsOf(app);
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.match(lines[0], /^\[demo\/s\] services\.s\.mem_limit \(set by addOverride\('mem_limit'\)\): "lots" is not a size Compose reads /);
    assert.match(
      lines[1],
      /^\[demo\/s\] services\.s\.deploy\.resources\.limits\.memory \(set by addOverride\('deploy\.resources\.limits\.memory'\)\): "1\.5x" is not a size/,
    );
    assert.match(
      lines[2],
      /^\[demo\/s\] services\.s\.restart \(set by addOverride\('restart'\)\): "sometimes" is not a restart policy Docker knows: use no, always, on-failure/,
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
    assert.ok(
      lines.some((l) => l.startsWith('[demo/b] the Docker socket is mounted writable (/var/run)')),
      lines.join('\n'),
    );
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

  test('a value that matches none of the forms of a oneOf is one message naming the forms, not one per form', () => {
    const app = new App();
    const stack = new Stack(app, 'demo');
    new Service(stack, 's', { image: 'busybox:1', ports: [{ containerPort: 80 }] });
    const doc = compose(stack);
    doc.services.s.ports.push(true);
    assert.deepEqual(checkComposeSchema(doc), ['/services/s/ports/1 must be a number, a string or an object']);
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
    assert.deepEqual(svc.command, [
      'redis-server',
      '--requirepass',
      '${REDIS_PASSWORD:?set REDIS_PASSWORD in the environment or a .env file}',
      '--loglevel',
      '${REDIS_LOGLEVEL:-notice}',
      'costs $$5',
    ]);
    assert.deepEqual(svc.entrypoint, [
      'docker-entrypoint.sh',
      '--user=${REDIS_USER:?set REDIS_USER}:${REDIS_PASSWORD:?set REDIS_PASSWORD in the environment or a .env file}',
    ]);
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

/** Whether `docker compose config -q` accepts a compose document (it reads the file, and does not touch the daemon). */
function composeAccepts(doc: unknown): { ok: boolean; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'aixcl-compose-sem-'));
  try {
    const file = join(dir, 'docker-compose.yml');
    writeFileSync(file, stringify(doc));
    const r = spawnSync('docker', ['compose', '-f', file, 'config', '-q'], { encoding: 'utf8' });
    return { ok: r.status === 0, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("Compose's own checks of the final document (after overrides)", () => {
  // Each passes the compose-spec schema, and Compose refuses it (compose-go loader/validate.go, types/).
  const cases: Array<{ what: string; make: (stack: Stack, web: Service) => void; at: string; says: RegExp; compose: RegExp }> = [
    {
      what: 'depends_on naming no service (list form)',
      make: (_, web) => web.addOverride('depends_on', ['ghost']),
      at: "[demo/web] services.web.depends_on (set by addOverride('depends_on')): 'ghost' is not a service of this stack",
      says: /use addDependency\(\) with the Service \(services: 'db', 'web'\)$/,
      compose: /depends on undefined service "?ghost/,
    },
    {
      what: 'depends_on naming no service, through the ComposeFile',
      make: (stack) => ComposeFile.of(stack).addOverride('services.web.depends_on.ghost.condition', 'service_started'),
      at: "[demo/ComposeFile] services.web.depends_on (set by addOverride('services.web.depends_on.ghost.condition')): 'ghost' is not a service",
      says: /name a service of the stack/,
      compose: /depends on undefined service "?ghost/,
    },
    {
      what: 'an undefined network',
      make: (_, web) => web.addOverride('networks', ['nonexistent']),
      at: "[demo/web] services.web.networks (set by addOverride('networks')): 'nonexistent' is not a network of this stack",
      says: /create it with new Network\(stack, \.\.\.\)/,
      compose: /undefined network nonexistent/,
    },
    {
      what: 'neither image nor build',
      make: (_, web) => web.addOverride('image', undefined),
      at: "[demo/web] services.web.image (set by addOverride('image')): the service has neither an image nor a build",
      says: /give the image in the Service's props$/,
      compose: /neither an image nor a build context/,
    },
    {
      what: 'cpus that are not a number',
      make: (_, web) => web.addOverride('cpus', 'lots'),
      at: `[demo/web] services.web.cpus (set by addOverride('cpus')): "lots" is not a number of CPUs`,
      says: /write a number such as 0\.5/,
      compose: /ParseFloat/,
    },
    {
      what: 'a duration in words',
      make: (_, web) => web.addOverride('stop_grace_period', '1 minute'),
      at: `[demo/web] services.web.stop_grace_period (set by addOverride('stop_grace_period')): "1 minute" is not a duration Compose reads`,
      says: /unknown unit " minute" in duration "1 minute".*such as '10s', '1m30s' or '24h'/,
      compose: /unknown unit " minute"/,
    },
    {
      what: 'a healthcheck interval in words',
      make: (_, web) => web.addOverride('healthcheck.interval', '10 seconds'),
      at: `[demo/web] services.web.healthcheck.interval (set by addOverride('healthcheck.interval')): "10 seconds" is not a duration`,
      says: /unknown unit " seconds"/,
      compose: /unknown unit " seconds"/,
    },
    {
      what: "a duration beyond Go's",
      make: (_, web) => web.addOverride('healthcheck.timeout', '24000000h'),
      at: `[demo/web] services.web.healthcheck.timeout (set by addOverride('healthcheck.timeout')): "24000000h" is not a duration`,
      says: /beyond Go's longest duration, 2562047h47m16\.854775807s/,
      compose: /invalid duration/,
    },
    {
      what: 'a link to no service',
      make: (_, web) => web.addOverride('links', ['ghost:db']),
      at: "[demo/web] services.web.links (set by addOverride('links')): 'ghost' is not a service of this stack",
      says: /service "web" depends on undefined service "ghost"/,
      compose: /undefined service "?ghost/,
    },
    {
      what: "network_mode 'service:' naming no service",
      make: (_, web) => web.addOverride('network_mode', 'service:ghost'),
      at: "[demo/web] services.web.network_mode (set by addOverride('network_mode')): 'ghost' is not a service of this stack",
      says: /name a service of the stack/,
      compose: /undefined service "?ghost/,
    },
    {
      what: 'network_mode with networks',
      make: (_, web) => {
        web.addOverride('network_mode', 'host');
        web.addOverride('networks', ['default']);
      },
      at: "[demo/web] services.web.networks (set by addOverride('networks')): the service has both network_mode and networks",
      says: /keep one/,
      compose: /mutually exclusive `network_mode` and `networks`/,
    },
    {
      what: 'an undefined named volume',
      make: (_, web) => web.addOverride('volumes', ['data:/data']),
      at: "[demo/web] services.web.volumes (set by addOverride('volumes')): 'data' is not a volume of this stack",
      says: /new Volume\(stack, \.\.\.\)/,
      compose: /undefined volume data/,
    },
    {
      what: 'an undeclared secret',
      make: (_, web) => web.addOverride('secrets', [{ source: 'pg', target: 'pg' }]),
      at: "[demo/web] services.web.secrets (set by addOverride('secrets')): 'pg' is not declared in the file's top-level secrets",
      says: /declare it there too \(secrets: none\)/,
      compose: /undefined secret pg/,
    },
    {
      what: 'a secret with neither file nor environment',
      make: (stack) => ComposeFile.of(stack).addOverride('secrets.pg', {}),
      at: "[demo/ComposeFile] secrets.pg (set by addOverride('secrets.pg')): the secret has neither file nor environment",
      says: /give one, or external: true/,
      compose: /one of file\|environment must be set/,
    },
    {
      what: 'a healthcheck test without CMD',
      make: (_, web) => web.addOverride('healthcheck.test', ['curl', '-f', 'http://localhost/']),
      at: `[demo/web] services.web.healthcheck.test (set by addOverride('healthcheck.test')): "curl" starts the healthcheck test`,
      says: /start the list with 'CMD'/,
      compose: /must start either by "CMD", "CMD-SHELL" or "NONE"/,
    },
  ];
  for (const c of cases) {
    test(`${c.what}: reported at the construct that made it, and Compose refuses it too`, () => {
      const { app, stack } = stackOf();
      const db = new Service(stack, 'db', { image: 'postgres:17' });
      const web = new Service(stack, 'web', { image: 'nginx:1.27', healthcheck: Healthcheck.command(['true']) });
      web.addDependency(db);
      c.make(stack, web);
      const lines = problemsOf(app);
      assert.equal(lines.length, 1, lines.join('\n'));
      assert.ok(lines[0].startsWith(c.at), lines[0]);
      assert.match(lines[0], c.says);
      const verdict = composeAccepts(ComposeFile.of(stack).uncheckedDocument());
      assert.equal(verdict.ok, false, `docker compose config accepted what the check refuses (${c.what})`);
      assert.match(verdict.stderr, c.compose);
    });
  }

  test('two values of one setting (cpus and deploy.resources.limits.cpus) that differ; equal ones pass', () => {
    const { app, stack } = stackOf();
    const web = new Service(stack, 'web', { image: 'nginx:1.27', memoryLimit: Size.mebibytes(512) });
    web.addOverride('cpus', 0.5);
    web.addOverride('deploy.resources.limits.cpus', '1');
    web.addOverride('deploy.resources.limits.memory', '512m');
    new Service(stack, 'api', { image: 'nginx:1.27' }).addOverride('mem_reservation', '64m');
    ComposeFile.of(stack).addOverride('services.api.deploy.resources.reservations.cpus', '0.5');
    assert.deepEqual(problemsOf(app), [
      `[demo/api] services.api.mem_reservation (set by addOverride('mem_reservation')): "64m" differs from deploy.resources.reservations.memory, 0 (Compose refuses the file: can't set distinct values on 'mem_reservation' and 'deploy.resources.reservations.memory'): set one of them, or both to one value`,
      `[demo/web] services.web.cpus (set by addOverride('cpus')): 0.5 differs from deploy.resources.limits.cpus, "1" (Compose refuses the file: can't set distinct values on 'cpus' and 'deploy.resources.limits.cpus'): set one of them, or both to one value`,
    ]);
    const refused = composeAccepts(ComposeFile.of(stack).uncheckedDocument());
    assert.equal(refused.ok, false);
    assert.match(refused.stderr, /can't set distinct values on '(cpus|mem_reservation)'/);
    // float32 both sides, as compose-go reads them: 0.1 written as a number and as a string is one value.
    const same = stackOf();
    const api = new Service(same.stack, 'api', { image: 'nginx:1.27' });
    api.addOverride('cpus', 0.1);
    api.addOverride('deploy.resources.limits.cpus', '0.1');
    assert.doesNotThrow(() => same.app.synthesize());
    assert.equal(composeAccepts(ComposeFile.of(same.stack).uncheckedDocument()).ok, true);
  });

  test('network_mode beside an empty networks list or map is accepted, as compose-go accepts it (len(Networks) > 0)', () => {
    const { app, stack } = stackOf(NetworkMode.HOST);
    new Service(stack, 'web', { image: 'nginx:1.27' }).addOverride('networks', []);
    new Service(stack, 'api', { image: 'nginx:1.27' }).addOverride('networks', {});
    assert.doesNotThrow(() => app.synthesize());
    assert.equal(composeAccepts(ComposeFile.of(stack).uncheckedDocument()).ok, true);
  });

  test('two mounts on one path, one of them an override: the Engine refuses it (Duplicate mount point)', () => {
    const { app, stack } = stackOf();
    const web = new Service(stack, 'web', { image: 'nginx:1.27' });
    web.addBind('/srv', '/data');
    ComposeFile.of(stack).addOverride('services.web.tmpfs', ['/data/:size=1m']);
    assert.deepEqual(problemsOf(app), [
      "[demo/ComposeFile] services.web.tmpfs (set by addOverride('services.web.tmpfs')): 2 mounts share the target '/data' (written '/data', '/data/'; the Engine refuses the container: Duplicate mount point): mount each path once",
    ]);
  });

  test("an image reference Docker refuses, an override's or a ComposeFile's", () => {
    const { app, stack } = stackOf();
    new Service(stack, 'web', { image: 'nginx:1.27' }).addOverride('image', 'Nginx:Latest Version');
    new Service(stack, 'api', { image: 'nginx:1.27' });
    ComposeFile.of(stack).addOverride('services.api.image', 'Acme/API:1');
    assert.deepEqual(problemsOf(app), [
      "[demo/ComposeFile] services.api.image (set by addOverride('services.api.image')): image 'Acme/API:1' has upper-case letters in its repository name, which must be lower case: write 'acme/api:1' (Docker refuses to pull or run it)",
      "[demo/web] services.web.image (set by addOverride('image')): image 'Nginx:Latest Version' contains white space: write it like grafana/loki:3.7.6 (repository:tag) (Docker refuses to pull or run it)",
    ]);
  });

  test('what Compose accepts passes: declared names, Go durations and floats, values it interpolates', () => {
    const { stack } = stackOf();
    const data = new Volume(stack, 'data');
    new Service(stack, 'db', { image: 'postgres:17' }).addVolume(data, '/var/lib/postgresql/data');
    const web = new Service(stack, 'web', { image: 'nginx:1.27', healthcheck: Healthcheck.command(['true']) });
    for (const [k, v] of [
      ['depends_on', ['db']],
      ['links', ['db:database']],
      ['networks', ['default']],
      ['volumes', [{ type: 'volume', source: 'data', target: '/data' }, 'data:/more', './here:/here', '/abs:/abs']],
      ['cpus', '0.5'],
      ['deploy.resources.reservations.cpus', '0.5e0'],
      ['stop_grace_period', '1m30s'],
      ['healthcheck.interval', '.5s'],
      ['healthcheck.timeout', '2562047h47m16.854775807s'],
      ['healthcheck.start_period', '${START:-10s}'],
      ['mem_reservation', '64m'],
      ['deploy.resources.reservations.memory', '65536k'],
      ['image', '${WEB_IMAGE:-nginx:1.27}'],
    ] as const) {
      web.addOverride(k, v);
    }
    const doc = compose(stack);
    assert.deepEqual(doc.services.web.depends_on, ['db']);
    const verdict = composeAccepts(doc);
    assert.ok(verdict.ok, verdict.stderr);
  });

  test("Go's time.ParseDuration, as Compose reads its durations", () => {
    const ok: Array<[string, bigint]> = [
      ['0', 0n],
      ['1h30m', 5_400_000_000_000n],
      ['1.5s', 1_500_000_000n],
      ['.5s', 500_000_000n],
      ['5.s', 5_000_000_000n],
      ['+5s', 5_000_000_000n],
      ['-1s', -1_000_000_000n],
      ['1µs1us1μs1ns', 3_001n],
      ['2562047h47m16.854775807s', 9_223_372_036_854_775_807n],
    ];
    for (const [text, ns] of ok) assert.equal(parseGoDuration(text), ns, text);
    const bad: Array<[string, string]> = [
      ['', 'invalid duration'],
      ['10', 'missing unit in duration'],
      ['1d', 'unknown unit "d" in duration'],
      ['1 minute', 'unknown unit " minute" in duration'],
      ['1e3s', 'unknown unit "e" in duration'],
      ['.s', 'invalid duration'],
      ['2562047h47m16.854775808s', 'invalid duration'],
      ['24000000h', 'invalid duration'],
    ];
    for (const [text, why] of bad) assert.equal(parseGoDuration(text), why, text);
  });

  test("a Duration beyond Go's is refused where it is made", () => {
    assert.throws(
      () => Duration.days(1e6),
      /^UserError: Duration\.days\(1000000\) is longer than the longest duration Go programs read \(2562047h47m16\.854775807s/,
    );
    assert.throws(() => Duration.parse('200000000h'), /Duration\.parse\('200000000h'\) is longer/);
    assert.equal(Duration.days(106_751).toGoString(), '2562024h');
  });

  test("a memory limit below the Engine's 6 MiB (moby linuxMinMemory), typed or overridden", () => {
    const { app, stack } = stackOf();
    new Service(stack, 'tiny', { image: 'nginx:1.27', memoryLimit: Size.bytes(1) });
    new Service(stack, 'small', { image: 'nginx:1.27' }).addOverride('mem_reservation', '4m');
    new Service(stack, 'fine', { image: 'nginx:1.27', memoryLimit: Size.mebibytes(6) });
    assert.deepEqual(problemsOf(app), [
      `[demo/tiny] memoryLimit: 1 byte is below Docker's smallest memory limit, 6 MiB (the Engine refuses to create the container: Minimum memory limit allowed is 6MB): give at least Size.mebibytes(6), or no memoryLimit`,
      `[demo/small] services.small.mem_reservation (set by addOverride('mem_reservation')): "4m" is below Docker's smallest memory reservation, 6 MiB (the Engine refuses to create the container: Minimum memory reservation allowed is 6MB): give at least 6 MiB ('6m'), or no limit`,
    ]);
  });

  test('a bad service name is one message; one made by an override alone is still reported', () => {
    const { app, stack } = stackOf();
    new Service(stack, 'web', { image: 'nginx:1.27', serviceName: 'web server' });
    assert.deepEqual(problemsOf(app), ["[demo/web] service name 'web server' is invalid: use letters, digits, '.', '_' and '-'"]);
    // The rest of the file is still judged.
    const named = stackOf();
    new Service(named.stack, 'web', { image: 'nginx:1.27', serviceName: 'web server' }).addOverride('cpus', 'lots');
    assert.equal(
      problemsOf(named.app)[1],
      `[demo/web] services.web server.cpus (set by addOverride('cpus')): "lots" is not a number of CPUs (Compose reads it with Go's strconv.ParseFloat): write a number such as 0.5 or '2'`,
    );
    const other = stackOf();
    new Service(other.stack, 'web', { image: 'nginx:1.27' });
    ComposeFile.of(other.stack).addOverride('services.api server', { image: 'nginx:1.27' });
    assertProblem(
      other.app,
      "[demo/ComposeFile] the compose file does not match the compose-spec schema (check overrides): /services must NOT have additional properties 'api server'",
    );
  });
});

describe('host ports taken twice', () => {
  const conflict = (configure: (app: App, stack: Stack) => void) => {
    const { app, stack } = stackOf();
    configure(app, stack);
    try {
      app.synthesize();
      return [];
    } catch {
      return problemsOf(app).filter((l) => l.includes('host port'));
    }
  };

  test('one service publishing two ports on one host port', () => {
    assert.deepEqual(
      conflict(
        (_, stack) =>
          new Service(stack, 'web', {
            image: 'nginx:1.27',
            ports: [
              { containerPort: 80, hostPort: 8080 },
              { containerPort: 81, hostPort: 8080 },
            ],
          }),
      ),
      ['[demo] host port 8080/tcp is published twice by demo/web: give each of its ports its own hostPort'],
    );
  });

  /** The problems of two services publishing host port 8080 on addresses `a` and `b`. */
  const onAddresses = (a: string, b: string) =>
    conflict((_, stack) => {
      new Service(stack, 'a', { image: 'nginx:1.27', ports: [{ containerPort: 80, hostPort: 8080, hostIp: a }] });
      new Service(stack, 'b', { image: 'nginx:1.27', ports: [{ containerPort: 80, hostPort: 8080, hostIp: b }] });
    });

  test('one address written three ways ([::1], ::1, 0:0:0:0:0:0:0:1); brackets are not written', () => {
    for (const [a, b] of [
      ['::1', '[::1]'],
      ['0:0:0:0:0:0:0:1', '::1'],
      ['0.0.0.0', '127.0.0.1'],
      ['::', '::1'],
    ]) {
      assert.deepEqual(onAddresses(a, b), ['[demo] host port 8080/tcp is used by demo/a and demo/b: give each service its own hostPort'], `${a} and ${b}`);
    }
    const { stack } = stackOf();
    new Service(stack, 'a', { image: 'nginx:1.27', ports: [{ containerPort: 80, hostIp: '[::1]' }] });
    assert.equal(compose(stack).services.a.ports[0].host_ip, '::1');
  });

  test('different addresses, or a wildcard of the other family, do not clash', () => {
    for (const [a, b] of [
      ['127.0.0.1', '127.0.0.2'],
      ['::', '127.0.0.1'],
      ['0.0.0.0', '::1'],
    ]) {
      assert.deepEqual(onAddresses(a, b), [], `${a} and ${b}`);
    }
  });

  test('ports added through overrides (long and short syntax, no host_ip: every address)', () => {
    assert.deepEqual(
      conflict((_, stack) => {
        new Service(stack, 'a', { image: 'nginx:1.27', ports: [{ containerPort: 80, hostPort: 8080 }] });
        new Service(stack, 'b', { image: 'nginx:1.27' }).addOverride('ports', [{ target: 80, published: '8080', host_ip: '127.0.0.1', protocol: 'tcp' }]);
        new Service(stack, 'c', { image: 'nginx:1.27' }).addOverride('ports', ['9000-9001:80']);
        ComposeFile.of(stack).addOverride('services.a.ports.1', '[::1]:9001:81/tcp');
        new Service(stack, 'd', { image: 'nginx:1.27', ports: [{ containerPort: 80, hostPort: 7000, hostIp: '::1' }] });
        new Service(stack, 'e', { image: 'nginx:1.27' }).addOverride('ports', [{ target: 80, published: 7000, host_ip: '[0::1]' }]);
      }),
      [
        '[demo] host port 8080/tcp is used by demo/a and demo/b: give each service its own hostPort',
        '[demo] host port 9001/tcp is used by demo/a and demo/c: give each service its own hostPort',
        '[demo] host port 7000/tcp is used by demo/d and demo/e: give each service its own hostPort',
      ],
    );
  });

  test('two stacks of an app (deployed to one engine) on one address and port; a Swarm stack is not on it', () => {
    assert.deepEqual(
      conflict((app, stack) => {
        new Service(stack, 'a', { image: 'nginx:1.27', ports: [{ containerPort: 80, hostPort: 8080 }] });
        new Service(new Stack(app, 'two'), 'b', { image: 'nginx:1.27', ports: [{ containerPort: 80, hostPort: 8080 }] });
        new Service(new Stack(app, 'three'), 'c', { image: 'nginx:1.27', ports: [{ containerPort: 80, hostPort: 8080, hostIp: '127.0.0.2' }] });
        new Service(new Stack(app, 'four', { target: Target.SWARM }), 'd', {
          image: 'nginx:1.27',
          ports: [{ containerPort: 80, hostPort: 8080, publish: true }],
        });
      }),
      [
        '[demo] host port 8080/tcp is used by demo/a and two/b: give each service its own hostPort (the stacks of an app are deployed to the same Docker engine)',
      ],
    );
    // A host-network stack listens on its bind address.
    assert.deepEqual(
      conflict((app, stack) => {
        new Service(stack, 'a', { image: 'nginx:1.27', ports: [{ containerPort: 80, hostPort: 9090 }] });
        new Service(new Stack(app, 'host', { networkMode: NetworkMode.HOST }), 'b', { image: 'nginx:1.27', ports: [{ containerPort: 9090 }] });
        new Service(new Stack(app, 'elsewhere', { networkMode: NetworkMode.HOST, bindAddress: '127.0.0.2' }), 'c', {
          image: 'nginx:1.27',
          ports: [{ containerPort: 9090 }],
        });
      }),
      [
        '[demo] host port 9090/tcp is used by demo/a and host/b: give each service its own hostPort (the stacks of an app are deployed to the same Docker engine)',
      ],
    );
  });
});

describe('Service arguments and values that break at deploy', () => {
  test('mount targets are compared as Docker cleans them; the container root is refused', () => {
    const { app, stack } = stackOf();
    const v = new Volume(stack, 'v');
    const v2 = new Volume(stack, 'v2');
    const web = new Service(stack, 'web', { image: 'nginx:1.27' });
    web.addVolume(v, '/data');
    web.addVolume(v2, '/data/');
    web.addBind('/srv', '/data/./');
    web.addVolume(v, '/');
    web.addBind('/etc/x', '/data/..');
    assert.deepEqual(problemsOf(app), [
      "[demo/web] addVolume(): target: '/' is the container's root, where Docker cannot mount (\"destination can't be '/'\"): mount on a directory such as '/data'",
      "[demo/web] addBind(): target: '/data/..' is the container's root, where Docker cannot mount (\"destination can't be '/'\"): mount on a directory such as '/data'",
      "[demo/web] 3 mounts share the target '/data' (written '/data', '/data/', '/data/./'): mount each path once",
    ]);
  });

  test('a line break in a Secret or EnvRef message is written as a space (Compose refused the file)', () => {
    const { stack } = stackOf();
    new Service(stack, 'web', {
      image: 'nginx:1.27',
      environment: { A_TOKEN: Secret.fromEnv('A_TOKEN', 'line1\nline2'), B: EnvRef.of('B', { required: 'one\r\n  two}$' }) },
    });
    const doc = compose(stack);
    assert.equal(doc.services.web.environment.A_TOKEN, '${A_TOKEN:?line1 line2}');
    assert.equal(doc.services.web.environment.B, '${B:?one two}');
    const verdict = composeAccepts(doc);
    assert.doesNotMatch(verdict.stderr, /invalid interpolation format/);
    // A default is a value: reflowing it would change it, so it is refused.
    assert.throws(() => EnvRef.of('C', { default: 'a\nb' }), /EnvRef C: the default holds a line break/);
  });

  test('a number or boolean under a secret name is a secret in clear; a setting named after one is not', () => {
    const { app, stack } = stackOf();
    new Service(stack, 'web', { image: 'nginx:1.27', environment: { API_KEY: 123456789, DB_PASSWORD: true, TOKEN_TTL: 3600, PASSWORD_RESET: false } });
    assert.deepEqual(problemsOf(app), [
      "[demo/web] environment variable API_KEY looks like a secret but is written in clear: use Secret.fromEnv('API_KEY') so the value stays out of generated files",
      "[demo/web] environment variable DB_PASSWORD looks like a secret but is written in clear: use Secret.fromEnv('DB_PASSWORD') so the value stays out of generated files",
    ]);
  });

  test('addLabel checks its arguments as addEnvironment does (an unset variable crashed the synthesis)', () => {
    const { app, stack } = stackOf();
    const web = new Service(stack, 'web', { image: 'nginx:1.27' });
    web.addLabel('team', process.env.AIXCL_TEST_UNSET_VARIABLE as string);
    web.addLabel('tier', 3 as unknown as string);
    web.addLabel('ok', 'yes');
    assert.deepEqual(problemsOf(app), [
      "[demo/web] addLabel(): label 'team' is undefined (is it read from an environment variable that is not set?): give it a string value, or leave the label out",
      "[demo/web] addLabel(): label 'tier' must be a string, got the number 3: write '3'",
    ]);
  });
});
