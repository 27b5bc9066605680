/**
 * Docker helpers for the deploy tests. Tests that need Docker FAIL when no
 * daemon answers (they are never skipped): run scripts/ensure-docker.sh.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import Docker from 'dockerode';
import { connectEngine, type Engine } from '../../src/deploy/engine.js';
import { stackDown } from '../../src/deploy/down.js';
import { ComposeLabel } from '../../src/deploy/labels.js';
import { run } from './run.js';

let engine: Promise<Engine> | undefined;

/** The local engine; throws (failing the test) when it cannot be reached. */
export function requireDocker(): Promise<Engine> {
  engine ??= connectEngine({ connectTimeoutMs: 10_000 }).catch((e: Error) => {
    throw new Error(
      `these tests need a running Docker Engine${process.env.CI ? ' (CI is set: they fail rather than skip)' : ''}: ${e.message}\n` +
        'Run `bash scripts/ensure-docker.sh` (installs and starts dockerd on Debian) and try again.',
    );
  });
  return engine;
}

/** A project name no other test (or run) uses. */
export function uniqueProject(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`.toLowerCase();
}

/** Removes everything of a project, volumes included (for `after` hooks). */
export async function cleanupProject(project: string): Promise<void> {
  const e = await requireDocker();
  await stackDown(project, { engine: e, volumes: true });
}

/** A TCP port nothing listens on right now. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen({ host, port: 0 }, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Opens a listener on a port (a program holding it); close it when done. */
export function holdPort(port: number, host = '127.0.0.1'): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer((c) => c.end());
    s.once('error', reject);
    s.listen({ host, port }, () => resolve(s));
  });
}

/** Runs a command in a running container; returns stdout. */
export async function dockerExec(container: string, cmd: readonly string[]): Promise<string> {
  return (await run('docker', ['exec', container, ...cmd])).stdout.replace(/\n$/, '');
}

/** The containers of a project, by service. */
export async function containersOf(docker: Docker, project: string): Promise<Map<string, Docker.ContainerInspectInfo>> {
  const list = await docker.listContainers({ all: true, filters: { label: [`${ComposeLabel.PROJECT}=${project}`] } });
  const out = new Map<string, Docker.ContainerInspectInfo>();
  for (const c of list) out.set(c.Labels[ComposeLabel.SERVICE], await docker.getContainer(c.Id).inspect());
  return out;
}

/** Container IDs by service (to tell which ones were recreated). */
export async function idsOf(docker: Docker, project: string): Promise<Record<string, string>> {
  const m = await containersOf(docker, project);
  return Object.fromEntries([...m].map(([k, v]) => [k, v.Id]).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** `docker compose` (the v2 plugin), for checks that Compose sees the stack as its own. */
export async function compose(
  args: readonly string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  return run('docker', ['compose', ...args], { reject: false, cwd: opts.cwd ?? '/', env: { ...process.env, ...opts.env } });
}

/** Builds `tag` from `base` with a `VOLUME` at `path` (an image whose data lives in an anonymous volume). */
export async function imageWithVolume(base: string, tag: string, path: string): Promise<void> {
  await run('docker', ['build', '-q', '-t', tag, '-'], { input: `FROM ${base}\nVOLUME ${path}\n` });
}

/** Asserts a deploy's outcome; on a mismatch the message lists the services that are not healthy, with why. */
export function assertOutcome(
  result: { readonly outcome: string; readonly services: ReadonlyArray<{ readonly outcome: string }> },
  outcome: 'ok' | 'degraded',
): void {
  assert.equal(
    result.outcome,
    outcome,
    JSON.stringify(
      result.services.filter((s) => s.outcome !== 'healthy'),
      null,
      2,
    ),
  );
}
