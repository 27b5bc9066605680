import { posix } from 'node:path';
import { z } from 'zod';
import { GeneratedFile } from '../core/generated-file.js';
import { describeValue, enumOf, instanceOf, objectOr, PropsContext, propsSchema, quote, valueOf } from '../core/props.js';
import type { Size } from '../core/size.js';
import { constructOf, hostPath, imageReference, ipAddress, portNumber, sizeValue } from '../core/value-schemas.js';
import { Healthcheck } from './healthcheck.js';
import { Network } from './network.js';
import { EnvRef, Interpolation, type EnvValue } from './env-ref.js';
import { Secret } from './secret.js';
import { LogFormat } from '../log-format/log-format.js';
import { Volume } from './volume.js';

/*
 * The props of a Service and their run-time schemas, with those of its methods' arguments (see core/props.ts).
 */

/** Restart policy of a service. */
export enum RestartPolicy {
  NO = 'no',
  ALWAYS = 'always',
  ON_FAILURE = 'on-failure',
  UNLESS_STOPPED = 'unless-stopped',
}

/** What a dependent service waits for. */
export enum DependencyCondition {
  STARTED = 'service_started',
  HEALTHY = 'service_healthy',
  COMPLETED_SUCCESSFULLY = 'service_completed_successfully',
}

/** A port a service listens on. */
export interface PortMapping {
  /** Port the process listens on (inside the container, or on the host with host networking). */
  readonly containerPort: number;
  /** Port on the host (bridge networking only). @default containerPort */
  readonly hostPort?: number;
  /** Host address to publish on. @default the stack's bindAddress (127.0.0.1) */
  readonly hostIp?: string;
  /** @default 'tcp' */
  readonly protocol?: 'tcp' | 'udp';
  /**
   * Publish on the host; false keeps it reachable from the stack only (and
   * gives it no host URL, also on host networking). Swarm publishes on every
   * interface of every node, so there a port is published only when this says so.
   * @default true (Compose), false (Swarm)
   */
  readonly publish?: boolean;
  /**
   * URL scheme of what listens there (`'http'`, `'https'`, `'postgresql'`...), for the URLs built from
   * it by {@link Service.url} and {@link Service.hostUrl}. A port without one has no URL, only an
   * address ({@link Service.address}): nothing claims `http://` for a port that may not speak HTTP.
   * @default none
   */
  readonly scheme?: string;
}

/** Where a service exposes Prometheus metrics. */
export interface MetricsEndpoint {
  /** A declared port of the service. */
  readonly port: number;
  /** @default '/metrics' */
  readonly path?: string;
  /** Prometheus job name. @default the service name */
  readonly jobName?: string;
}

/** Options of a mount. */
export interface MountOptions {
  /** @default false for volumes and binds, true for generated files */
  readonly readOnly?: boolean;
}

/** Options of a dependency. */
export interface DependencyOptions {
  /** @default DependencyCondition.STARTED */
  readonly condition?: DependencyCondition;
  /**
   * When false, the dependent still starts if the dependency is missing or
   * fails: the way to depend on an optional part without being blocked by it.
   * @default true
   */
  readonly required?: boolean;
}

/** An argument of a command or entrypoint: text, or a reference filled in when the stack starts. */
export type CommandArg = string | Secret | EnvRef | Interpolation;

/** Props of a {@link Service}. */
export interface ServiceProps {
  /** Image reference, e.g. `grafana/loki:3.7.6`. Pin a version. */
  readonly image: string;
  /** Name of the service in the compose file. @default the construct id */
  readonly serviceName?: string;
  /**
   * Overrides the image's command. A `$` in a string is a literal dollar (written `$$`); a
   * {@link Secret}, an {@link EnvRef} or an {@link Interpolation} is a reference filled in when
   * the stack starts. @default the image's
   */
  readonly command?: readonly CommandArg[];
  /** Overrides the image's entrypoint (the same kinds of arguments as `command`). @default the image's */
  readonly entrypoint?: readonly CommandArg[];
  /** Environment variables. Secrets must be {@link Secret} values. @default none */
  readonly environment?: Record<string, EnvValue>;
  /** Ports the service listens on. @default none */
  readonly ports?: readonly PortMapping[];
  /** @default none (the image's own, if any) */
  readonly healthcheck?: Healthcheck;
  /** @default RestartPolicy.UNLESS_STOPPED */
  readonly restart?: RestartPolicy;
  /** Memory limit. @default none */
  readonly memoryLimit?: Size;
  /** User (`uid`, `uid:gid` or name) the process runs as. @default the image's */
  readonly user?: string;
  /** Container labels. @default none */
  readonly labels?: Record<string, string>;
  /** Bridge networks to join (bridge networking only). @default the project's default network */
  readonly networks?: readonly Network[];
  /** Prometheus metrics endpoint, scraped by a Prometheus of the same stack. @default none */
  readonly metrics?: MetricsEndpoint;
  /**
   * The stack works without this service: if it fails, aixcl-deploy reports
   * the stack as degraded instead of failed (a service on which every
   * dependent depends with `required: false` is optional too).
   * @default false
   */
  readonly optional?: boolean;
  /**
   * The format of the service's log lines: the log collector parses them by
   * it (level, timestamp, multi-line entries, noise rules).
   * @default none: lines are stored as they are, without a level
   */
  readonly logFormat?: LogFormat;
  /**
   * The service sends its logs over OpenTelemetry (OTLP) to the stack's collector: it gets the
   * OpenTelemetry SDK's standard variables (`OTEL_EXPORTER_OTLP_ENDPOINT` of the collector's OTLP/HTTP
   * receiver, `OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf`, `OTEL_LOGS_EXPORTER=otlp`,
   * `OTEL_SERVICE_NAME` of its compose service, which Loki turns into `service_name`, and
   * `OTEL_RESOURCE_ATTRIBUTES=compose.service=<it>`, Loki's `compose_service`). The program
   * must be instrumented with an OpenTelemetry SDK that reads them. A variable set in `environment`
   * wins. Logs only: traces and metrics are not collected.
   * @default false
   */
  readonly otlp?: boolean;
}

/** Compose's short port syntax (`[ip:]host:container[/proto]`) as the typed form. */
function typedPort(short: string | number): string | undefined {
  const m = /^(?:(\[[^\]]+\]|[^:]+):)??(?:(\d+):)?(\d+)(?:\/(tcp|udp))?$/.exec(String(short).trim());
  if (!m) return undefined;
  const [, ip, host, container, proto] = m;
  const parts = [`containerPort: ${container}`];
  if (host && host !== container) parts.push(`hostPort: ${host}`);
  if (ip) parts.push(`hostIp: '${ip.replace(/^\[(.*)\]$/, '$1')}'`);
  if (proto && proto !== 'tcp') parts.push(`protocol: '${proto}'`);
  return `{ ${parts.join(', ')} }`;
}

/** A declared port: the typed form; Compose's short syntax is an error that shows the typed form. */
export const portMappingSchema = propsSchema<PortMapping>()(
  z.strictObject({
    containerPort: portNumber,
    hostPort: portNumber.optional(),
    hostIp: ipAddress.optional(),
    protocol: z.enum(['tcp', 'udp']).optional(),
    publish: z.boolean().optional(),
    scheme: z.string().optional(),
  }),
);

const portEntry = objectOr(portMappingSchema, (v, report) => {
  if (typeof v !== 'string' && typeof v !== 'number') return report(`must be a port ({ containerPort: 80 }), got ${describeValue(v)}`);
  const typed = typedPort(v);
  report(
    typed
      ? `${describeValue(v)} is Compose's short port syntax, which this API does not read: write ${typed}`
      : `${describeValue(v)} is not a port: write { containerPort: 80 } (with hostPort and hostIp to publish it elsewhere)`,
  );
});

/** Where a service exposes Prometheus metrics. */
export const metricsEndpointSchema = propsSchema<MetricsEndpoint>()(
  z.strictObject({
    port: portNumber,
    // A path without its leading '/' is reported by the Prometheus that scrapes it (naming the job).
    path: z.string().optional(),
    jobName: z.string().optional(),
  }),
);

/** Compose's rule for variable names is loose; this is the portable one (what a shell can set). */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/** Why an environment variable name or value cannot be used, or undefined. */
export function environmentProblem(name: unknown, value: unknown): string | undefined {
  if (typeof name !== 'string') return `a variable name must be a string, got ${describeValue(name)}`;
  if (!ENV_NAME.test(name)) {
    const eq = name.indexOf('=');
    if (eq > 0) return `${quote(name)} is not a variable name (it holds '='): write { ${name.slice(0, eq)}: ${quote(name.slice(eq + 1))} }`;
    if (/\s/.test(name))
      return `${quote(name)} is not a variable name (it holds white space): use letters, digits and '_', e.g. ${name.trim().replace(/\s+/g, '_')}`;
    return `${quote(name)} is not a variable name: use letters, digits, '_' and '.', not starting with a digit`;
  }
  if (value === undefined || value === null) {
    return `${name} is ${String(value)} (is it read from an environment variable that is not set, e.g. process.env.${name}?): give it a value, or Secret.fromEnv('${name}') to take it from the environment when the stack starts`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return `${name} is ${value}: give a finite number or a string`;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || isReference(value)) return undefined;
  return `${name} must be a string, number, boolean, Secret, EnvRef or Interpolation, got ${describeValue(value)}${Array.isArray(value) ? `: join the list into one string (e.g. ${quote(value.join(','))})` : ''}`;
}

/** A value Compose fills in when the stack starts (see env-ref.ts). */
function isReference(v: unknown): v is Secret | EnvRef | Interpolation {
  return Secret.isSecret(v) || EnvRef.isEnvRef(v) || Interpolation.isInterpolation(v);
}

/**
 * The arguments of a command or entrypoint: a list of strings, or of references Compose fills in
 * (Secret, EnvRef, Interpolation). A whole command line as one string is an error that shows the list.
 */
function argList(example: string): z.ZodType<readonly CommandArg[], readonly CommandArg[]> {
  return valueOf<readonly CommandArg[]>((v, report) => {
    if (typeof v === 'string') {
      const words = v.split(/\s+/).filter(Boolean);
      report(
        `must be a list of arguments, got the string ${quote(v)}: write [${words.map((w) => quote(w)).join(', ')}]${/[|&;<>$`]/.test(v) ? ` (or, for a shell line, ['sh', '-c', ${quote(v)}])` : ''}`,
      );
      return;
    }
    if (!Array.isArray(v)) {
      report(`must be a list of strings (e.g. ${example}), got ${describeValue(v)}`);
      return;
    }
    v.forEach((a, i) => {
      if (typeof a !== 'string' && !isReference(a)) {
        report(`must be a string (or a Secret, EnvRef or Interpolation), got ${describeValue(a)}${typeof a === 'number' ? `: write '${a}'` : ''}`, [i]);
      }
    });
  });
}

/** Environment variables: a mapping of name to value. A list (`['A=1']`) is an error that shows the mapping. */
export const environmentSchema = valueOf<Record<string, EnvValue>>((v, report) => {
  if (Array.isArray(v)) {
    const pairs = v.map((e) => (typeof e === 'string' && e.includes('=') ? `${e.slice(0, e.indexOf('='))}: ${quote(e.slice(e.indexOf('=') + 1))}` : undefined));
    return report(
      `must be a mapping of variable name to value, got a list: write { ${pairs.every(Boolean) && pairs.length ? pairs.join(', ') : "NAME: 'value'"} }`,
    );
  }
  if (typeof v !== 'object' || v === null || Secret.isSecret(v)) {
    return report(`must be a mapping of variable name to value ({ NAME: 'value' }), got ${describeValue(v)}`);
  }
  for (const [name, value] of Object.entries(v)) {
    const problem = environmentProblem(name, value);
    if (problem) report(problem.startsWith(`${name} `) ? problem.slice(name.length + 1) : problem, [name]);
  }
});

/** A healthcheck made with Healthcheck.command/shell/wget/curl; its own problems are reported here. */
export const healthcheckSchema = valueOf<Healthcheck>((v, report) => {
  if (Healthcheck.isHealthcheck(v)) {
    for (const p of v.problems) report(p);
    return;
  }
  if (Array.isArray(v)) {
    const argv = v[0] === 'CMD' || v[0] === 'CMD-SHELL' ? v.slice(1) : v;
    return report(
      v[0] === 'CMD-SHELL'
        ? `must be a Healthcheck, got a list: write Healthcheck.shell(${quote(argv.join(' '))})`
        : `must be a Healthcheck, got a list: write Healthcheck.command([${argv.map((a) => quote(String(a))).join(', ')}])`,
    );
  }
  if (typeof v === 'string')
    return report(`must be a Healthcheck, got ${describeValue(v)}: write Healthcheck.shell(${quote(v)}), or Healthcheck.command([...]) without a shell`);
  report(`must be a Healthcheck, got ${describeValue(v)}: write Healthcheck.command([...]), Healthcheck.wget(url) or Healthcheck.shell('...')`);
});

const restartPolicy = enumOf<RestartPolicy>('RestartPolicy', () => RestartPolicy);
const dependencyCondition = enumOf<DependencyCondition>('DependencyCondition', () => DependencyCondition);

/** The props of a Service. */
export const serviceSchema = propsSchema<ServiceProps>()(
  z.strictObject({
    image: imageReference,
    serviceName: z.string().optional(),
    command: argList("['serve', '--port', '80']").optional(),
    entrypoint: argList("['/bin/app']").optional(),
    environment: environmentSchema.optional(),
    ports: z.array(portEntry).readonly().optional(),
    healthcheck: healthcheckSchema.optional(),
    restart: restartPolicy.optional(),
    memoryLimit: sizeValue.optional(),
    // Docker's --user: name|uid[:group|gid] (docker run reference, "User"); nothing else runs.
    user: z
      .string()
      .refine((u) => /^[^:\s]+(:[^:\s]+)?$/.test(u), {
        error: (issue) =>
          `${describeValue(issue.input)} is not a user: write a user name or uid, optionally ':' and a group name or gid (e.g. 'postgres' or '1000:1000')`,
      })
      .optional(),
    labels: z.record(z.string(), z.string()).optional(),
    networks: z.array(constructOf('Network', Network.isNetwork)).readonly().optional(),
    metrics: metricsEndpointSchema.optional(),
    optional: z.boolean().optional(),
    otlp: z.boolean().optional(),
    logFormat: instanceOf<LogFormat>(
      'a LogFormat',
      LogFormat.isLogFormat,
      () => 'write LogFormat.json(), LogFormat.logfmt() or LogFormat.regex(...)',
    ).optional(),
  }),
);

/** Options of a mount. */
export const mountOptionsSchema = propsSchema<MountOptions>()(z.strictObject({ readOnly: z.boolean().optional() }));

/** Options of a dependency. */
export const dependencyOptionsSchema = propsSchema<DependencyOptions>()(
  z.strictObject({ condition: dependencyCondition.optional(), required: z.boolean().optional() }),
);

/** A path inside the container. */
export const containerPath = valueOf<string>((v, report) => {
  if (typeof v !== 'string') return report(`must be an absolute path in the container (e.g. '/data'), got ${describeValue(v)}`);
  if (!v.startsWith('/')) return report(`${quote(v)} must be an absolute path in the container (e.g. '/${v.replace(/^\.?\/*/, '')}')`);
  // moby volume/mounts/linux_parser.go: path.Clean(target) == "/" is "invalid specification: destination can't be '/'".
  if (cleanContainerPath(v) === '/')
    report(`${quote(v)} is the container's root, where Docker cannot mount ("destination can't be '/'"): mount on a directory such as '/data'`);
});

/** A container path as Go's path.Clean makes it (what Docker compares): `/data/`, `/data/.` and `//data` are `/data`. */
export function cleanContainerPath(p: string): string {
  const n = posix.normalize(p);
  return n.length > 1 ? n.replace(/\/+$/, '') : n;
}

/** Why `addLabel(name, value)` cannot be applied, or undefined. */
export function labelProblem(name: unknown, value: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') return `a label name must be a non-empty string, got ${describeValue(name)}`;
  if (value === undefined || value === null) {
    return `label ${quote(name)} is ${String(value)} (is it read from an environment variable that is not set?): give it a string value, or leave the label out`;
  }
  if (typeof value !== 'string')
    return `label ${quote(name)} must be a string, got ${describeValue(value)}${typeof value === 'number' || typeof value === 'boolean' ? `: write ${quote(String(value))}` : ''}`;
  return undefined;
}

export const volumeArg = constructOf('Volume', Volume.isVolume);
export const hostPathArg = hostPath;
export const generatedArg = instanceOf<GeneratedFile | string>(
  'a generated file (or the path of a directory of generated files)',
  (v): v is GeneratedFile | string => GeneratedFile.isGeneratedFile(v) || (typeof v === 'string' && v.length > 0),
  () => "pass the file construct (e.g. loki.config) or a path such as 'grafana/provisioning'",
);
export const healthcheckArg = healthcheckSchema;
export const envNameArg = z.string();

/** How to change each Service prop on the Service a construct makes itself. */
const ON_THE_SERVICE: Readonly<Record<string, string>> = {
  environment: 'service.addEnvironment(name, value)',
  labels: 'service.addLabel(name, value)',
  healthcheck: 'service.setHealthcheck(...)',
};

/**
 * Messages context for a construct that makes its Service itself (Ollama, Loki, ...): a Service prop
 * given to it is not silently ignored but said where it goes.
 */
export function serviceMakerContext(owner: string, ownKeys: readonly string[]): PropsContext {
  const variable = owner.charAt(0).toLowerCase() + owner.slice(1);
  const elsewhere: Record<string, string> = {};
  for (const key of Object.keys(serviceSchema.shape)) {
    if (ownKeys.includes(key)) continue;
    const how = ON_THE_SERVICE[key] ?? `service.addOverride(...) (the compose key)`;
    elsewhere[key] = `it is a prop of the Service that ${owner} makes itself: set it with ${variable}.${how}`;
  }
  return { owner, elsewhere };
}

/** A {@link Secret}; a password string is an error (it would be written in clear). */
export const secretValue = instanceOf<Secret>('a Secret', Secret.isSecret, (v) =>
  typeof v === 'string'
    ? "write Secret.fromEnv('NAME'), so that the value is taken from the environment and never written into a file"
    : "write Secret.fromEnv('NAME')",
);
