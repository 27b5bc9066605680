/**
 * Stand-in images for the deploy tests: no registry is reachable, so every
 * image a stack names is built here from busybox-static.
 *
 * A stand-in never carries a real image's name (a later `docker compose up` of
 * a real stack on the same machine would run it instead of pulling the real
 * image): the stacks under test take the mirror {@link STANDIN_MIRROR} through
 * their own API (`Stack` prop `imageMirror`, or AIXCL_IMAGE_MIRROR for stack
 * files the CLI loads), so `grafana/loki:3.7.6` is asked for, and built, as
 * `aixcl-standin.invalid/grafana/loki:3.7.6`. `.invalid` is a top-level
 * domain reserved never to exist (RFC 2606), so no registry can serve that
 * name. Every stand-in is labelled `dev.aixcl.standin`; `npm run clean:standins`
 * removes them all.
 *
 * What a stand-in contains is fixed per image FAMILY, from what the real
 * image contains (see /work/shared/reference/stack-facts.md, "What is inside
 * each image") and NOT from the compose file under test: which shell and
 * programs are on PATH, where the server listens (read at run time from its
 * own flags, environment or config file, as the real program does) and which
 * HTTP paths it answers. So a healthcheck that calls a program the real image
 * lacks, or probes a path or port the real server does not serve, fails here
 * as it would against the real image.
 *
 * The stand-in's own busybox lives at /.standin/busybox, off PATH. Tests that
 * must look inside a container whose real image has no shell (Loki) call it
 * by that path.
 */
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type Docker from 'dockerode';
import { parse } from 'yaml';
import { Image } from '../../src/core/image.js';
import type { SynthesizedStack } from '../../src/core/synthesizer.js';
import { run, runBuffer } from './run.js';
import { ALL_SCRIPTS, BUSYBOX, CURL_SCRIPT, LOKI_SCRIPT, OLLAMA_SCRIPT, PG_ISREADY_SCRIPT, RUN_SCRIPT, SERVER_SCRIPT, WGET_SCRIPT } from './standin-scripts.js';

/** The registry the stacks under test pull from: a name that cannot exist, so never a real image's. */
export const STANDIN_MIRROR = 'aixcl-standin.invalid';

/** The name a stand-in of `image` is built and run under. */
export function standInName(image: string): string {
  return Image.of(image).inMirror(STANDIN_MIRROR).ref;
}

/** Programs a stand-in can put on PATH besides its shell and the basic tools. */
export type StandInProgram = 'bash' | 'wget' | 'curl' | 'pg_isready';

/** What one image family contains and serves, as the real image does. */
export interface FamilySpec {
  /** loki, promtail, grafana, ...: also decides the log line format. */
  readonly family: string;
  /** The real image this models, and where the facts come from. */
  readonly models: string;
  /**
   * /bin/sh: busybox ash (Alpine and busybox-based images), dash (Debian and
   * Ubuntu), or none (distroless: a CMD-SHELL healthcheck cannot run).
   */
  readonly shell: 'busybox' | 'dash' | 'none';
  /** Basic tools (cat, grep, sleep, ...) on PATH, as every image with a shell has. */
  readonly coreutils: boolean;
  /** Programs on PATH besides the shell, the basic tools and the server. */
  readonly programs: readonly StandInProgram[];
  /** The server program, at the path the real image has it. */
  readonly server: string;
  /** More names of the server program on PATH (e.g. `postgres` beside docker-entrypoint.sh). */
  readonly serverAliases?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly cmd?: readonly string[];
  readonly workdir?: string;
  /** The user the real image runs as. @default root */
  readonly user?: string;
  /** Directories the image creates, by owner uid (a new named volume takes their owner). */
  readonly ownedDirs?: Readonly<Record<string, number>>;
  /** Environment the real image sets. */
  readonly env?: Readonly<Record<string, string>>;
  /** Files the real image ships (its default config files), by path. */
  readonly files?: Readonly<Record<string, string>>;
  /**
   * How the real server finds its listen address (see RUN_SCRIPT): `config-file PORT`
   * (server.http_listen_* of -config.file), `flag NAME DEFAULT`, `cadvisor PORT`,
   * `env ADDRVAR PORTVAR PORT`, `env-hostport VAR DEFAULT`, `postgres PORT`, or `ports`
   * (STANDIN_PORTS only: the tests' own images).
   */
  readonly listen: string;
  /** HTTP paths the real server answers with 200 (health endpoints and a few others). */
  readonly paths: readonly string[];
  /** loki: the binary has `-health` (3.6.5+ and 3.7+). */
  readonly lokiHealth?: boolean;
}

/** A stand-in image: a family's spec, tagged with an image name. */
export interface StandInSpec extends FamilySpec {
  readonly image: string;
}

const LOKI: FamilySpec = {
  family: 'loki',
  models: 'grafana/loki 3.6+/3.7: distroless static:nonroot, uid 10001, no shell, no wget, no curl; only /usr/bin/loki',
  shell: 'none',
  coreutils: false,
  programs: [],
  server: '/usr/bin/loki',
  entrypoint: ['/usr/bin/loki'],
  cmd: ['-config.file=/etc/loki/local-config.yaml'],
  user: '10001',
  ownedDirs: { '/loki': 10001 },
  files: { '/etc/loki/local-config.yaml': 'auth_enabled: false\nserver:\n  http_listen_port: 3100\ncommon:\n  path_prefix: /loki\n' },
  listen: 'config-file 3100',
  paths: ['/ready', '/metrics'],
  lokiHealth: true,
};

/** The image families of the stacks, keyed by repository name (the last part of it). */
export const FAMILIES: Readonly<Record<string, FamilySpec>> = {
  loki: LOKI,
  promtail: {
    family: 'promtail',
    models: 'grafana/promtail 3.6: Ubuntu noble, root, bash but no wget and no curl',
    shell: 'dash',
    coreutils: true,
    programs: ['bash'],
    server: '/usr/bin/promtail',
    entrypoint: ['/usr/bin/promtail'],
    cmd: ['-config.file=/etc/promtail/config.yml'],
    files: { '/etc/promtail/config.yml': 'server:\n  http_listen_port: 9080\n  grpc_listen_port: 0\n' },
    listen: 'config-file 80',
    paths: ['/ready', '/metrics'],
  },
  alloy: {
    family: 'alloy',
    models: 'grafana/alloy: Ubuntu, root, no wget or curl; listens on 127.0.0.1:12345 unless told',
    shell: 'dash',
    coreutils: true,
    programs: ['bash'],
    server: '/bin/alloy',
    entrypoint: ['/bin/alloy'],
    cmd: ['run', '/etc/alloy/config.alloy', '--storage.path=/var/lib/alloy/data'],
    files: { '/etc/alloy/config.alloy': 'logging {\n  level = "info"\n}\n' },
    listen: 'flag server.http.listen-addr 127.0.0.1:12345',
    paths: ['/-/ready', '/-/healthy', '/metrics'],
  },
  grafana: {
    family: 'grafana',
    models: 'grafana/grafana: Alpine, busybox sh, bash, wget and curl; GF_SERVER_HTTP_ADDR/GF_SERVER_HTTP_PORT (3000)',
    shell: 'busybox',
    coreutils: true,
    programs: ['bash', 'wget', 'curl'],
    server: '/run.sh',
    entrypoint: ['/run.sh'],
    listen: 'env GF_SERVER_HTTP_ADDR GF_SERVER_HTTP_PORT 3000',
    paths: ['/', '/api/health', '/login', '/metrics'],
  },
  prometheus: {
    family: 'prometheus',
    models: 'prom/prometheus: busybox-based, sh and wget, no curl; --web.listen-address (0.0.0.0:9090)',
    shell: 'busybox',
    coreutils: true,
    programs: ['wget'],
    server: '/bin/prometheus',
    entrypoint: ['/bin/prometheus'],
    cmd: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus'],
    files: {
      '/etc/prometheus/prometheus.yml':
        'global:\n  scrape_interval: 15s\nscrape_configs:\n  - job_name: prometheus\n    static_configs:\n      - targets: [localhost:9090]\n',
    },
    listen: 'flag web.listen-address 0.0.0.0:9090',
    paths: ['/', '/-/healthy', '/-/ready', '/metrics'],
  },
  alertmanager: {
    family: 'alertmanager',
    models: 'prom/alertmanager: busybox-based, sh and wget, runs as nobody (its Dockerfile); --web.listen-address (:9093)',
    shell: 'busybox',
    coreutils: true,
    programs: ['wget'],
    server: '/bin/alertmanager',
    entrypoint: ['/bin/alertmanager'],
    cmd: ['--config.file=/etc/alertmanager/alertmanager.yml', '--storage.path=/alertmanager'],
    workdir: '/alertmanager',
    user: '65534',
    ownedDirs: { '/alertmanager': 65534 },
    files: { '/etc/alertmanager/alertmanager.yml': 'route:\n  receiver: default\nreceivers:\n  - name: default\n' },
    listen: 'flag web.listen-address :9093',
    paths: ['/', '/-/healthy', '/-/ready', '/metrics'],
  },
  cadvisor: {
    family: 'cadvisor',
    models: 'ghcr.io/google/cadvisor: Alpine, sh and wget; --port (8080) and --listen_ip',
    shell: 'busybox',
    coreutils: true,
    programs: ['wget'],
    server: '/usr/bin/cadvisor',
    entrypoint: ['/usr/bin/cadvisor', '-logtostderr'],
    listen: 'cadvisor 8080',
    paths: ['/containers/', '/healthz', '/metrics'],
  },
  'node-exporter': {
    family: 'node-exporter',
    models: 'prom/node-exporter: busybox-based, sh and wget; --web.listen-address (:9100)',
    shell: 'busybox',
    coreutils: true,
    programs: ['wget'],
    server: '/bin/node_exporter',
    entrypoint: ['/bin/node_exporter'],
    listen: 'flag web.listen-address :9100',
    paths: ['/', '/metrics'],
  },
  'postgres-exporter': {
    family: 'postgres-exporter',
    models: 'prometheuscommunity/postgres-exporter: busybox-based, sh and wget; --web.listen-address (:9187)',
    shell: 'busybox',
    coreutils: true,
    programs: ['wget'],
    server: '/bin/postgres_exporter',
    entrypoint: ['/bin/postgres_exporter'],
    listen: 'flag web.listen-address :9187',
    paths: ['/', '/metrics'],
  },
  pgadmin: {
    family: 'pgadmin',
    models: 'dpage/pgadmin4: Alpine, sh and wget; PGADMIN_LISTEN_ADDRESS/PGADMIN_LISTEN_PORT (80)',
    shell: 'busybox',
    coreutils: true,
    programs: ['wget'],
    server: '/entrypoint.sh',
    entrypoint: ['/entrypoint.sh'],
    listen: 'env PGADMIN_LISTEN_ADDRESS PGADMIN_LISTEN_PORT 80',
    paths: ['/', '/login', '/misc/ping'],
  },
  postgres: {
    family: 'postgres',
    models: 'postgres (Debian): dash, bash, pg_isready; no wget or curl; port 5432 (-c port=, -p, PGPORT)',
    shell: 'dash',
    coreutils: true,
    programs: ['bash', 'pg_isready'],
    server: '/usr/local/bin/docker-entrypoint.sh',
    serverAliases: ['postgres'],
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['postgres'],
    listen: 'postgres 5432',
    // The port answering is what pg_isready checks ("accepting connections").
    paths: ['/'],
  },
  ollama: {
    family: 'ollama',
    models: 'ollama/ollama: Ubuntu, bash, no wget or curl; `ollama list` asks OLLAMA_HOST (image sets 0.0.0.0:11434)',
    shell: 'dash',
    coreutils: true,
    programs: ['bash'],
    server: '/bin/ollama',
    entrypoint: ['/bin/ollama'],
    cmd: ['serve'],
    env: { OLLAMA_HOST: '0.0.0.0:11434' },
    listen: 'env-hostport OLLAMA_HOST 127.0.0.1:11434',
    paths: ['/', '/api/tags', '/api/version'],
  },
  'open-webui': {
    family: 'open-webui',
    models: 'ghcr.io/open-webui/open-webui: Debian python, bash and curl, no wget; HOST/PORT (8080)',
    shell: 'dash',
    coreutils: true,
    programs: ['bash', 'curl'],
    server: '/app/backend/start.sh',
    cmd: ['bash', 'start.sh'],
    workdir: '/app/backend',
    listen: 'env HOST PORT 8080',
    paths: ['/', '/api/config', '/health'],
  },
  // The example service of the `aixcl-synth init` scaffold (templates/stack.ts.tmpl).
  nginx: {
    family: 'nginx',
    models: 'nginx (Debian): sh and bash, no wget; its default server listens on 80 and answers /',
    shell: 'dash',
    coreutils: true,
    programs: ['bash'],
    server: '/docker-entrypoint.sh',
    entrypoint: ['/docker-entrypoint.sh'],
    cmd: ['nginx', '-g', 'daemon off;'],
    // The port is in nginx's own config file (listen 80), not in a flag or variable.
    env: { STANDIN_PORTS: '80' },
    listen: 'ports',
    paths: ['/'],
  },
};

/** The family of an image, from its repository name, or undefined. */
export function familyOf(image: string): string | undefined {
  const repo = Image.of(image).repository.split('/').pop()!;
  // Longest name first: postgres-exporter before postgres.
  return Object.keys(FAMILIES)
    .sort((a, b) => b.length - a.length)
    .find((f) => repo === f || repo.startsWith(f));
}

/** The stand-in of a real image: its family's spec, with what differs between versions (Loki). */
export function standInFor(image: string): StandInSpec {
  const family = familyOf(image);
  if (!family) {
    throw new Error(`no stand-in for image ${image}: its family is none of ${Object.keys(FAMILIES).join(', ')} (add one in test/support/standins.ts)`);
  }
  let spec = FAMILIES[family];
  if (family === 'loki') {
    const img = Image.of(image);
    if ((img.compareVersion('3.6.0') ?? 1) < 0) {
      spec = {
        ...LOKI,
        models: 'grafana/loki <= 3.5: distroless static:debug, busybox sh and wget; no -health flag',
        shell: 'busybox',
        coreutils: true,
        programs: ['wget'],
        lokiHealth: false,
      };
    } else if ((img.compareVersion('3.6.5') ?? 1) < 0) {
      spec = { ...LOKI, models: 'grafana/loki 3.6.0-3.6.4: distroless, no shell, and no -health flag yet', lokiHealth: false };
    }
  }
  return { image, ...spec };
}

/**
 * Images of the tests' own small stacks (they take their ports from
 * STANDIN_PORTS in the environment), built once and never rebuilt under a
 * running container.
 */
export const TEST_IMAGES: readonly StandInSpec[] = [
  {
    ...LOKI,
    image: standInName('aixcl-test/loki:1'),
    models: "Loki's server and -health command, in a debug image (busybox sh and wget, as Loki <= 3.5), running as root",
    shell: 'busybox',
    coreutils: true,
    programs: ['wget'],
    user: undefined,
    ownedDirs: undefined,
    cmd: undefined,
  },
  {
    image: standInName('aixcl-test/web:1'),
    family: 'generic',
    models: 'a small web service with sh and wget',
    shell: 'busybox',
    coreutils: true,
    programs: ['wget'],
    server: '/.standin/run',
    entrypoint: ['/.standin/run'],
    env: { STANDIN_PORTS: '8080' },
    listen: 'ports',
    paths: ['/', '/ready'],
  },
];

/** The images a set of synthesized stacks names (from their compose or stack files). */
export function imagesOf(stacks: readonly SynthesizedStack[]): string[] {
  const images = new Set<string>();
  for (const s of stacks) {
    // docker-compose.yml, or under the Swarm target docker-stack.yml: the same services.
    const compose = s.files.find((f) => f.path === 'docker-compose.yml' || f.path === 'docker-stack.yml');
    if (!compose) continue;
    const doc = parse(compose.content) as { services?: Record<string, { image?: string }> };
    for (const svc of Object.values(doc.services ?? {})) if (svc.image) images.add(svc.image);
  }
  return [...images].sort();
}

/**
 * The stand-ins the images of these stacks need: the tests' own images, and
 * the family spec of every real image. Other `aixcl-test/` names are left
 * alone (tests of missing images name them on purpose). Every image must be
 * under {@link STANDIN_MIRROR}: a stack that names a real image as it is gets
 * an error, not a stand-in under that real name.
 */
export function standInSpecs(stacks: readonly SynthesizedStack[]): StandInSpec[] {
  const images = imagesOf(stacks);
  const real = images.filter((image) => !image.startsWith(`${STANDIN_MIRROR}/`));
  if (real.length) {
    throw new Error(
      `these images are not under ${STANDIN_MIRROR}/, so their stand-ins would take real names: ${real.join(', ')} (build the stack with imageMirror: STANDIN_MIRROR)`,
    );
  }
  return images
    .filter((image) => !image.startsWith(`${STANDIN_MIRROR}/aixcl-test/`) || TEST_IMAGES.some((t) => t.image === image))
    .map((image) => TEST_IMAGES.find((t) => t.image === image) ?? standInFor(image));
}

/** The stand-ins every image of these stacks needs, built once per test run (cached by content). */
export async function ensureStandIns(docker: Docker, stacks: readonly SynthesizedStack[]): Promise<StandInSpec[]> {
  const specs = standInSpecs(stacks);
  await buildStandIns(docker, specs);
  return specs;
}

/** Builds (or finds in the cache, by content label) the stand-in image of each spec. */
export async function buildStandIns(docker: Docker, specs: readonly StandInSpec[]): Promise<void> {
  const queue = [...specs];
  const worker = async () => {
    for (let spec = queue.shift(); spec; spec = queue.shift()) await buildOne(docker, spec);
  };
  await Promise.all([worker(), worker(), worker()]);
}

/** The body a real server answers on a path. */
function bodyOf(family: string, path: string): string {
  const bodies: Record<string, string> = {
    '/ready': 'ready\n',
    '/-/ready': `${family === 'prometheus' ? 'Prometheus Server' : 'Alloy'} is Ready.\n`,
    '/-/healthy': `${family === 'prometheus' ? 'Prometheus Server' : 'Alloy'} is Healthy.\n`,
    '/api/health': '{"database":"ok","version":"13.0.0"}\n',
    '/health': '{"status":true}\n',
    '/healthz': 'ok\n',
    '/api/tags': '{"models":[]}\n',
    '/api/version': '{"version":"0.0.0-standin"}\n',
    '/api/config': '{"status":true,"name":"Open WebUI"}\n',
    '/misc/ping': 'PING',
    '/metrics': '# HELP up Stand-in.\n# TYPE up gauge\nup 1\n',
  };
  if (path === '/') return family === 'ollama' ? 'Ollama is running' : 'OK\n';
  return bodies[path] ?? 'OK\n';
}

/** Basic tools on PATH in images with a shell (never a network client: those are programs of their own). */
const COREUTILS = [
  'cat',
  'echo',
  'printf',
  'sleep',
  'date',
  'env',
  'grep',
  'egrep',
  'sed',
  'awk',
  'tr',
  'wc',
  'head',
  'tail',
  'ls',
  'mkdir',
  'rm',
  'cp',
  'mv',
  'touch',
  'test',
  '[',
  'true',
  'false',
  'kill',
  'ps',
  'id',
  'hostname',
  'cut',
  'sort',
  'uniq',
  'seq',
  'timeout',
  'chmod',
  'chown',
  'ln',
  'pidof',
  'which',
  'xargs',
  'expr',
  'basename',
  'dirname',
  'stat',
  'find',
  'tee',
  'whoami',
];

const LABEL = 'dev.aixcl.standin';

/** Content hash of a spec and the scripts, so a cached image is rebuilt when either changes. */
function specHash(spec: StandInSpec): string {
  return createHash('sha256').update(JSON.stringify(spec)).update(ALL_SCRIPTS).update('layout 2').digest('hex').slice(0, 16);
}

async function buildOne(docker: Docker, spec: StandInSpec): Promise<void> {
  if (!spec.image.startsWith(`${STANDIN_MIRROR}/`))
    throw new Error(`not building a stand-in named ${spec.image}: stand-ins are named under ${STANDIN_MIRROR}/ (standInName)`);
  const hash = specHash(spec);
  const existing = await docker
    .getImage(spec.image)
    .inspect()
    .catch(() => undefined);
  if (existing?.Config?.Labels?.[LABEL] === hash) return;
  // A real image of that name (no stand-in label): tagging the stand-in would take its name away.
  if (existing && !existing.Config?.Labels?.[LABEL]) {
    throw new Error(
      `image ${spec.image} exists and is not a stand-in (a real image?): not replacing it with a stand-in. ` +
        'Run the deploy tests and bench/deploy on a Docker Engine without the real images (or remove that image yourself).',
    );
  }
  const root = mkdtempSync(join(tmpdir(), 'aixcl-standin-'));
  try {
    // mkdtemp makes the directory 0700: the image's / must be open to non-root users (Loki runs as 10001).
    chmodSync(root, 0o755);
    const abs = (p: string) => join(root, p.replace(/^\//, ''));
    for (const d of ['bin', 'usr/bin', 'usr/local/bin', 'sbin', 'etc', 'tmp', 'var/run', '.standin/www', '.standin/empty', 'proc', 'sys', 'dev', 'root']) {
      mkdirSync(abs(d), { recursive: true });
    }
    chmodSync(abs('tmp'), 0o1777);
    copyFileSync('/bin/busybox', abs(BUSYBOX));
    chmodSync(abs(BUSYBOX), 0o755);
    writeFileSync(
      abs('etc/passwd'),
      'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\npostgres:x:999:999::/var/lib/postgresql:/bin/sh\ngrafana:x:472:0::/usr/share/grafana:/bin/false\nloki:x:10001:10001::/loki:/bin/false\npgadmin:x:5050:0::/var/lib/pgadmin:/bin/false\n',
    );
    writeFileSync(abs('etc/group'), 'root:x:0:\nnobody:x:65534:\npostgres:x:999:\nloki:x:10001:\n');
    writeFileSync(abs('etc/hosts'), '127.0.0.1 localhost\n');
    const exe = (path: string, content: string) => {
      mkdirSync(dirname(abs(path)), { recursive: true });
      if (existsSync(abs(path))) rmSync(abs(path));
      writeFileSync(abs(path), content);
      chmodSync(abs(path), 0o755);
    };
    exe('/.standin/run', RUN_SCRIPT);
    for (const p of spec.paths) {
      const file = p.endsWith('/') ? `${p}index.html` : p;
      mkdirSync(dirname(abs(`/.standin/www${file}`)), { recursive: true });
      writeFileSync(abs(`/.standin/www${file}`), bodyOf(spec.family, p));
    }

    // The shell and the basic tools.
    if (spec.shell === 'busybox') for (const a of ['sh', 'ash']) symlinkSync(BUSYBOX, abs(`/bin/${a}`));
    if (spec.shell === 'dash') await copyProgram(root, '/bin/dash', '/bin/sh');
    if (spec.coreutils) for (const a of COREUTILS) symlinkSync(BUSYBOX, abs(`/bin/${a}`));

    // The programs of the real image.
    for (const prog of spec.programs) {
      if (prog === 'bash') await copyProgram(root, '/bin/bash', '/bin/bash');
      else exe(`/usr/bin/${prog}`, { wget: WGET_SCRIPT, curl: CURL_SCRIPT, pg_isready: PG_ISREADY_SCRIPT }[prog]);
    }
    if (spec.server !== '/.standin/run') {
      exe(spec.server, spec.family === 'loki' ? LOKI_SCRIPT : spec.family === 'ollama' ? OLLAMA_SCRIPT : SERVER_SCRIPT);
    }
    for (const alias of spec.serverAliases ?? []) exe(`/usr/bin/${alias}`, SERVER_SCRIPT);
    for (const [dir, uid] of Object.entries(spec.ownedDirs ?? {})) {
      mkdirSync(abs(dir), { recursive: true });
      chownSync(abs(dir), uid, uid);
    }
    if (spec.workdir) mkdirSync(abs(spec.workdir), { recursive: true });
    for (const [path, content] of Object.entries(spec.files ?? {})) {
      mkdirSync(dirname(abs(path)), { recursive: true });
      writeFileSync(abs(path), content);
    }

    const tar = await runBuffer('tar', ['--numeric-owner', '-C', root, '-c', '.']);
    const env: Record<string, string> = {
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      ...spec.env,
      STANDIN_IMAGE: spec.image,
      STANDIN_FAMILY: spec.family,
      STANDIN_LISTEN: spec.listen,
      ...(spec.lokiHealth ? { STANDIN_LOKI_HEALTH: '1' } : {}),
    };
    const changes = [
      ...(spec.entrypoint ? [`ENTRYPOINT ${JSON.stringify(spec.entrypoint)}`] : []),
      ...(spec.cmd ? [`CMD ${JSON.stringify(spec.cmd)}`] : []),
      ...(spec.workdir ? [`WORKDIR ${spec.workdir}`] : []),
      ...(spec.user ? [`USER ${spec.user}`] : []),
      ...Object.entries(env).map(([k, v]) => `ENV ${k}=${JSON.stringify(v)}`),
      `LABEL ${LABEL}=${hash}`,
    ].flatMap((c) => ['--change', c]);
    await run('docker', ['import', ...changes, '-', spec.image], { input: tar });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Copies a dynamically linked program of this machine (and the libraries ldd names) into the root, at `to`. */
async function copyProgram(root: string, from: string, to: string): Promise<void> {
  const { stdout } = await run('ldd', [from]);
  const libs = [...stdout.matchAll(/(\/\S+\.so[.\d]*)/g)].map((m) => m[1]);
  for (const [src, dest] of [[from, to], ...libs.map((l) => [l, l])]) {
    const d = join(root, dest.replace(/^\//, ''));
    mkdirSync(dirname(d), { recursive: true });
    if (!existsSync(d)) copyFileSync(src, d);
    chmodSync(d, 0o755);
  }
}
