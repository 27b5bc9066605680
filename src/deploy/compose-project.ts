import { dirname, relative } from 'node:path';
import { stringify } from 'yaml';
import { composeCli } from './compose-cli.js';
import { oneLine } from './daemon-message.js';
import { DeployError } from './errors.js';
import { containerName } from './labels.js';
import type { DeployTarget } from './target.js';

/** One `depends_on` entry, as `docker compose config` writes it (always the long form). */
export interface ComposeDependency {
  readonly service: string;
  readonly condition: 'service_started' | 'service_healthy' | 'service_completed_successfully';
  readonly required: boolean;
}

/** A service as Compose normalized it. */
export interface ComposeService {
  readonly name: string;
  /** `container_name`, or Compose's `<project>-<service>-1` (pkg/compose/convergence.go getContainerName). */
  readonly containerName: string;
  readonly image: string;
  readonly pullPolicy?: 'always' | 'missing' | 'never';
  /** Compose's own config hash (`docker compose config --hash`), which it writes to `com.docker.compose.config-hash`. */
  readonly configHash: string;
  /** The normalized service (`docker compose config --format json`): what the reasons of a recreate compare. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly dependsOn: readonly ComposeDependency[];
  readonly labels: Readonly<Record<string, string>>;
  readonly networkMode?: string;
  readonly hasHealthcheck: boolean;
  /** Published ports with a fixed host port (bridge networking). */
  readonly ports: ReadonlyArray<{ readonly hostIp: string; readonly hostPort: number; readonly protocol: 'tcp' | 'udp' | 'sctp' }>;
  /** Bind mounts, with absolute sources. */
  readonly binds: ReadonlyArray<{ readonly source: string; readonly target: string }>;
  /** Generated files (relative to the output directory) it bind-mounts, with their hashes. */
  readonly mountedFiles: ReadonlyArray<{ readonly path: string; readonly sha256: string }>;
}

/** A network or a named volume of the project. */
export interface ComposeResource {
  readonly key: string;
  readonly dockerName: string;
  readonly external: boolean;
  readonly driver: string;
  readonly internal: boolean;
}

/** The project as Compose reads it. */
export interface ComposeProject {
  readonly name: string;
  readonly configFile: string;
  /** The compose file's directory: Compose's project directory, where relative paths resolve. */
  readonly workingDir: string;
  readonly services: readonly ComposeService[];
  readonly networks: readonly ComposeResource[];
  readonly volumes: readonly ComposeResource[];
}

/** How Compose is run for a target: its project, files and environment. */
export interface ComposeInvocation {
  /** The global flags: `-p`, `-f`, `--project-directory`, `--env-file`. */
  readonly flags: readonly string[];
  /** The environment Compose interpolates from. */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * The flags that make Compose read this target as `docker compose up` in the
 * output directory would: the project name, the compose file (or stdin,
 * before the files are written) with the output directory as project
 * directory, and the env file the user gave (none: `/dev/null`, so a `.env`
 * in the output directory is not read behind the user's back).
 */
export function composeInvocation(target: DeployTarget, env: NodeJS.ProcessEnv, opts: { envFile?: string; fromStdin?: boolean } = {}): ComposeInvocation {
  return {
    flags: [
      '-p',
      target.projectName,
      '-f',
      opts.fromStdin ? '-' : target.configFile,
      '--project-directory',
      dirname(target.configFile),
      '--env-file',
      opts.envFile ?? '/dev/null',
    ],
    env,
  };
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/**
 * Reads the target through Compose: `config --format json` (the normalized
 * model: defaults applied, paths absolute, `${VAR}` interpolated) and
 * `config --hash '*'` (each service's config hash, computed by
 * pkg/compose/hash.go ServiceHash: SHA-256 of the service's JSON without
 * build, pull_policy and scale; the same function `up` uses to decide a
 * recreate in convergence.go mustRecreate). The document goes in on stdin,
 * so nothing needs to be written yet.
 * @throws DeployError with Compose's message when it refuses the file
 */
export async function loadComposeProject(target: DeployTarget, env: NodeJS.ProcessEnv, opts: { envFile?: string } = {}): Promise<ComposeProject> {
  const inv = composeInvocation(target, env, { ...opts, fromStdin: true });
  const input = stringify(target.document, { aliasDuplicateObjects: false });
  const [model, hashes] = await Promise.all([
    composeCli([...inv.flags, 'config', '--format', 'json'], { env, input }),
    composeCli([...inv.flags, 'config', '--hash', '*'], { env, input }),
  ]);
  for (const r of [model, hashes]) {
    if (r.exitCode !== 0) throw new DeployError(`docker compose refused the stack: ${oneLine(r.stderr.trim() || `exit ${r.exitCode}`)}. Nothing was changed.`);
  }
  const doc = JSON.parse(model.stdout) as Json;
  // `config --hash` prints `<service> <hash>` per line (cmd/compose/config.go runHash).
  const hashOf = new Map(
    hashes.stdout
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/) as [string, string]),
  );
  const workingDir = dirname(target.configFile);
  const project = String(doc.name ?? target.projectName);
  const files = new Map(target.generatedFiles.map((f) => [f.path, f.sha256]));
  const services = Object.entries(obj(doc.services))
    .map(([name, raw]): ComposeService => {
      const s = obj(raw);
      const binds = (Array.isArray(s.volumes) ? (s.volumes as Json[]) : [])
        .filter((v) => v.type === 'bind' && typeof v.source === 'string')
        .map((v) => ({ source: String(v.source), target: String(v.target) }));
      const ports = (Array.isArray(s.ports) ? (s.ports as Json[]) : []).flatMap((p) => {
        const published = Number(p.published);
        return Number.isInteger(published) && published > 0
          ? [{ hostIp: String(p.host_ip ?? ''), hostPort: published, protocol: (p.protocol ?? 'tcp') as 'tcp' | 'udp' | 'sctp' }]
          : [];
      });
      const hash = hashOf.get(name);
      if (!hash) throw new DeployError(`docker compose printed no config hash for service ${name}: is this Compose 2.20 or later?`);
      return {
        name,
        containerName: typeof s.container_name === 'string' ? s.container_name : containerName(project, name),
        image: String(s.image ?? ''),
        ...(typeof s.pull_policy === 'string' && ['always', 'missing', 'never'].includes(s.pull_policy)
          ? { pullPolicy: s.pull_policy as 'always' | 'missing' | 'never' }
          : {}),
        configHash: hash,
        config: s,
        dependsOn: Object.entries(obj(s.depends_on)).map(([service, d]) => ({
          service,
          condition: (obj(d).condition ?? 'service_started') as ComposeDependency['condition'],
          required: obj(d).required !== false,
        })),
        labels: Object.fromEntries(Object.entries(obj(s.labels)).map(([k, v]) => [k, String(v)])),
        ...(typeof s.network_mode === 'string' ? { networkMode: s.network_mode } : {}),
        hasHealthcheck: !!s.healthcheck && !obj(s.healthcheck).disable,
        ports,
        binds,
        // A generated file, or a directory of them.
        mountedFiles: binds.flatMap((b) => {
          const dir = relative(workingDir, b.source).split('\\').join('/');
          return [...files].filter(([path]) => path === dir || path.startsWith(`${dir}/`)).map(([path, sha256]) => ({ path, sha256 }));
        }),
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const resources = (section: unknown, suffix: 'network' | 'volume'): ComposeResource[] =>
    Object.entries(obj(section))
      .map(([key, raw]) => {
        const r = obj(raw);
        return {
          key,
          dockerName: String(r.name ?? `${project}_${key}`),
          external: r.external === true || !!obj(r.external).name,
          driver: String(r.driver ?? (suffix === 'network' ? 'bridge' : 'local')),
          internal: r.internal === true,
        };
      })
      .sort((a, b) => (a.key < b.key ? -1 : 1));
  return {
    name: project,
    configFile: target.configFile,
    workingDir,
    services,
    networks: resources(doc.networks, 'network'),
    volumes: resources(doc.volumes, 'volume'),
  };
}
