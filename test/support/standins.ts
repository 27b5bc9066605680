/**
 * Stand-in images for the deploy tests: no registry is reachable, so every
 * image a stack names is built here from busybox-static (and bash where a
 * healthcheck needs it), tagged with the stack's own image names. What each
 * stand-in serves (ports, health endpoints, healthcheck programs) is derived
 * from the synthesized compose file, so the stand-ins follow the stack.
 */
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type Docker from 'dockerode';
import { parse } from 'yaml';
import { Service } from '../../src/compose/service.js';
import type { SynthesizedStack } from '../../src/core/synthesizer.js';
import { run, runBuffer } from './run.js';
import { CURL_SCRIPT, LOKI_SCRIPT, OLLAMA_SCRIPT, PG_ISREADY_SCRIPT, RUN_SCRIPT, UNKNOWN_PROGRAM_SCRIPT, WGET_SCRIPT } from './standin-scripts.js';

/** What one stand-in image must do. */
export interface StandInSpec {
  readonly image: string;
  /** loki, promtail, grafana, postgres, ... or generic: decides the log format and the endpoints' bodies. */
  readonly family: string;
  readonly ports: readonly number[];
  /** HTTP paths answered with 200 (health endpoints found in healthchecks, plus `/`). */
  readonly paths: readonly string[];
  /** Programs that healthchecks and entrypoints run. */
  readonly programs: readonly string[];
}

const APPLETS = [
  'sh', 'ash', 'cat', 'echo', 'printf', 'sleep', 'date', 'env', 'grep', 'egrep', 'sed', 'awk', 'tr', 'wc', 'head', 'tail', 'ls', 'mkdir',
  'rm', 'cp', 'mv', 'touch', 'test', '[', '[[', 'true', 'false', 'kill', 'ps', 'id', 'hostname', 'httpd', 'nc', 'cut', 'sort', 'uniq', 'seq',
  'timeout', 'chmod', 'chown', 'ln', 'pidof', 'nslookup', 'which', 'xargs', 'expr', 'basename', 'dirname', 'stat', 'find', 'tee', 'whoami',
];
const SCRIPTED: Record<string, string> = { wget: WGET_SCRIPT, curl: CURL_SCRIPT, loki: LOKI_SCRIPT, pg_isready: PG_ISREADY_SCRIPT, ollama: OLLAMA_SCRIPT };
const FAMILIES = ['loki', 'promtail', 'grafana', 'prometheus', 'postgres-exporter', 'postgres', 'ollama', 'open-webui', 'pgadmin', 'cadvisor', 'node-exporter', 'alloy'];

/** The family of an image, from its repository name. */
export function familyOf(image: string): string {
  const repo = image.split('@')[0].replace(/:[^/:]+$/, '').split('/').pop() ?? image;
  return FAMILIES.find((f) => repo === f || repo.startsWith(f)) ?? 'generic';
}

/** The stand-ins a set of synthesized stacks needs (one per image). */
export function standInSpecs(stacks: readonly SynthesizedStack[]): StandInSpec[] {
  const by = new Map<string, { ports: Set<number>; paths: Set<string>; programs: Set<string> }>();
  for (const s of stacks) {
    const compose = s.files.find((f) => f.path === 'docker-compose.yml');
    if (!compose) continue;
    const doc = parse(compose.content) as { services: Record<string, Record<string, unknown>> };
    const declared = new Map(
      s.stack.node
        .findAll()
        .filter((c): c is Service => Service.isService(c))
        .map((svc) => [svc.serviceName, svc.ports.map((p) => p.containerPort)]),
    );
    for (const [name, svc] of Object.entries(doc.services)) {
      const image = String(svc.image);
      const e = by.get(image) ?? { ports: new Set<number>(), paths: new Set<string>(['/']), programs: new Set<string>() };
      by.set(image, e);
      for (const p of declared.get(name) ?? []) e.ports.add(p);
      for (const p of (svc.ports as Array<{ target: number }> | undefined) ?? []) if (typeof p === 'object') e.ports.add(Number(p.target));
      const hc = svc.healthcheck as { test?: string[] | string } | undefined;
      const test = typeof hc?.test === 'string' ? ['CMD-SHELL', hc.test] : (hc?.test ?? []);
      const text = test.slice(1).join(' ').replace(/\$\$/g, '$');
      for (const m of text.matchAll(/https?:\/\/[^/\s"'`]+(\/[^\s"'`?\\]*)?/g)) {
        const port = /:(\d+)/.exec(m[0].replace(/^https?:\/\//, ''))?.[1];
        if (port) e.ports.add(Number(port));
        if (m[1]) e.paths.add(m[1]);
      }
      for (const m of text.matchAll(/\/dev\/tcp\/[^/\s]+\/(\d+)/g)) e.ports.add(Number(m[1]));
      for (const m of text.matchAll(/GET (\/\S*) HTTP/g)) e.paths.add(m[1]);
      if (test[0] === 'CMD') e.programs.add(test[1]);
      if (test[0] === 'CMD-SHELL') {
        e.programs.add('sh');
        // The first word of each command of the script.
        for (const part of test[1].split(/&&|\|\||[|;]|\$\(/)) {
          const w = part.trim().split(/\s+/)[0];
          if (w && /^[\w./-]+$/.test(w) && !['exit', 'if', 'then', 'fi', 'else', 'do', 'done', 'for', 'while', 'exec', 'echo'].includes(w)) e.programs.add(w);
        }
      }
      if (/\bbash\b/.test(test.join(' '))) e.programs.add('bash');
      const entry = svc.entrypoint as string[] | string | undefined;
      if (Array.isArray(entry) && entry[0]) e.programs.add(entry[0]);
      // Health commands with a built-in endpoint: loki -health asks /ready, ollama list asks /api/tags.
      if (familyOf(image) === 'loki') e.paths.add('/ready');
      if ([...e.programs].some((p) => p.endsWith('ollama'))) e.paths.add('/api/tags');
    }
  }
  return [...by]
    .map(([image, e]) => ({ image, family: familyOf(image), ports: [...e.ports].sort((a, b) => a - b), paths: [...e.paths].sort(), programs: [...e.programs].sort() }))
    .sort((a, b) => (a.image < b.image ? -1 : 1));
}

/** The body a real server answers on a health path. */
function bodyOf(family: string, path: string): string {
  const bodies: Record<string, string> = {
    '/ready': 'ready\n',
    '/-/ready': `${family === 'prometheus' ? 'Prometheus Server' : 'Server'} is Ready.\n`,
    '/-/healthy': 'Healthy.\n',
    '/api/health': '{"database":"ok","version":"13.0.0"}\n',
    '/health': '{"status":true}\n',
    '/healthz': 'ok\n',
    '/api/tags': '{"models":[]}\n',
    '/api/version': '{"version":"0.0.0-standin"}\n',
    '/misc/ping': 'PING\n',
    '/metrics': '# HELP up Stand-in.\n# TYPE up gauge\nup 1\n',
  };
  if (path === '/') return family === 'ollama' ? 'Ollama is running' : 'OK\n';
  return bodies[path] ?? 'OK\n';
}

/** Content hash of a spec and the scripts, so a cached image is rebuilt when either changes. */
function specHash(spec: StandInSpec): string {
  return createHash('sha256')
    .update(JSON.stringify(spec))
    .update(RUN_SCRIPT + WGET_SCRIPT + CURL_SCRIPT + LOKI_SCRIPT + PG_ISREADY_SCRIPT + OLLAMA_SCRIPT + UNKNOWN_PROGRAM_SCRIPT('x'))
    .digest('hex')
    .slice(0, 16);
}

const LABEL = 'dev.aixcl.standin';

/** Builds (or finds in the cache, by content label) the stand-in image of each spec. */
export async function buildStandIns(docker: Docker, specs: readonly StandInSpec[]): Promise<void> {
  const queue = [...specs];
  const worker = async () => {
    for (let spec = queue.shift(); spec; spec = queue.shift()) await buildOne(docker, spec);
  };
  await Promise.all([worker(), worker(), worker()]);
}

/**
 * Images of the tests' own small stacks: fixed specs (they take their ports
 * from STANDIN_PORTS in the environment), so one image serves every test and
 * is never rebuilt under a running container.
 */
export const TEST_IMAGES: readonly StandInSpec[] = [
  { image: 'aixcl-test/loki:1', family: 'loki', ports: [3100], paths: ['/', '/ready'], programs: ['/usr/bin/loki', 'sh', 'wget'] },
  { image: 'aixcl-test/web:1', family: 'generic', ports: [8080], paths: ['/', '/ready'], programs: ['sh', 'wget'] },
];

/** The stand-ins every image of these stacks needs, built once per test run (cached by content). */
export async function ensureStandIns(docker: Docker, stacks: readonly SynthesizedStack[]): Promise<StandInSpec[]> {
  const derived = standInSpecs(stacks).filter((s) => !s.image.startsWith('aixcl-test/'));
  const used = new Set(standInSpecs(stacks).map((s) => s.image));
  const specs = [...TEST_IMAGES.filter((t) => used.has(t.image)), ...derived];
  await buildStandIns(docker, specs);
  return specs;
}

async function buildOne(docker: Docker, spec: StandInSpec): Promise<void> {
  const hash = specHash(spec);
  try {
    const info = await docker.getImage(spec.image).inspect();
    if (info.Config?.Labels?.[LABEL] === hash) return;
  } catch {
    // not there yet
  }
  const root = mkdtempSync(join(tmpdir(), 'aixcl-standin-'));
  try {
    for (const d of ['bin', 'usr/bin', 'usr/local/bin', 'sbin', 'etc', 'tmp', 'var/run', 'standin/www', 'standin/empty', 'proc', 'sys', 'dev', 'root']) {
      mkdirSync(join(root, d), { recursive: true });
    }
    chmodSync(join(root, 'tmp'), 0o1777);
    copyFileSync('/bin/busybox', join(root, 'bin/busybox'));
    chmodSync(join(root, 'bin/busybox'), 0o755);
    for (const a of APPLETS) symlinkSync('busybox', join(root, 'bin', a));
    writeFileSync(
      join(root, 'etc/passwd'),
      'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\npostgres:x:999:999::/var/lib/postgresql:/bin/sh\ngrafana:x:472:0::/usr/share/grafana:/bin/false\nloki:x:10001:10001::/loki:/bin/false\npgadmin:x:5050:0::/var/lib/pgadmin:/bin/false\n',
    );
    writeFileSync(join(root, 'etc/group'), 'root:x:0:\nnobody:x:65534:\npostgres:x:999:\nloki:x:10001:\n');
    writeFileSync(join(root, 'etc/hosts'), '127.0.0.1 localhost\n');
    const exe = (path: string, content: string) => {
      const abs = join(root, path.replace(/^\//, ''));
      mkdirSync(dirname(abs), { recursive: true });
      if (existsSync(abs)) rmSync(abs);
      writeFileSync(abs, content);
      chmodSync(abs, 0o755);
    };
    exe('/standin/run', RUN_SCRIPT);
    exe('/usr/bin/wget', WGET_SCRIPT);
    exe('/usr/bin/curl', CURL_SCRIPT);
    for (const p of spec.paths) {
      const file = p === '/' ? 'index.html' : p.replace(/^\//, '');
      const abs = join(root, 'standin/www', file);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, bodyOf(spec.family, p));
    }
    for (const prog of spec.programs) {
      const base = prog.split('/').pop()!;
      const path = prog.includes('/') ? prog : `/usr/bin/${base}`;
      if (base === 'bash') {
        await copyBash(root);
        if (prog.includes('/') && prog !== '/bin/bash') exe(path, '#!/bin/sh\nexec /bin/bash "$@"\n');
      } else if (SCRIPTED[base]) exe(path, SCRIPTED[base]);
      else if (APPLETS.includes(base)) {
        if (prog.includes('/') && !existsSync(join(root, path.replace(/^\//, '')))) exe(path, `#!/bin/sh\nexec busybox ${base} "$@"\n`);
      } else if (base === spec.family || base === familyOf(spec.image)) exe(path, '#!/bin/sh\nexec /standin/run "$@"\n');
      else exe(path, UNKNOWN_PROGRAM_SCRIPT(base));
    }
    // The image's own program name, as the real image's entrypoint would be.
    if (spec.family !== 'generic' && !existsSync(join(root, 'usr/bin', spec.family))) exe(`/usr/bin/${spec.family}`, '#!/bin/sh\nexec /standin/run "$@"\n');
    const tar = await runBuffer('tar', ['-C', root, '-c', '.']);
    const changes = [
      'ENTRYPOINT ["/standin/run"]',
      'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      `ENV STANDIN_IMAGE=${spec.image}`,
      `ENV STANDIN_FAMILY=${spec.family}`,
      `ENV STANDIN_PORTS="${spec.ports.join(' ')}"`,
      `LABEL ${LABEL}=${hash}`,
    ].flatMap((c) => ['--change', c]);
    await run('docker', ['import', ...changes, '-', spec.image], { input: tar });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Copies /bin/bash and the shared libraries it needs (ldd) into the root. */
async function copyBash(root: string): Promise<void> {
  const { stdout } = await run('ldd', ['/bin/bash']);
  const files = ['/bin/bash', ...[...stdout.matchAll(/(\/\S+\.so[.\d]*)/g)].map((m) => m[1])];
  for (const f of files) {
    const dest = join(root, f.replace(/^\//, ''));
    mkdirSync(dirname(dest), { recursive: true });
    if (!existsSync(dest)) copyFileSync(f, dest);
    chmodSync(dest, 0o755);
  }
}

/** A generic stand-in for tests' own small stacks (no family-specific behaviour). */
export const GENERIC_IMAGE = 'aixcl-test/standin:1';
