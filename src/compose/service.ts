import { isPortNumber, PORT_MAX, PORT_MIN } from '../core/port.js';
import { SERVICE_NAME_PATTERN } from '../core/name-patterns.js';
import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { ConstructError, UserError } from '../core/errors.js';
import { GeneratedFile, renderedContent } from '../core/generated-file.js';
import { Image } from '../core/image.js';
import { Overrides } from '../core/overrides.js';
import { checkArgs, checkProps, copyPlain, isOnFallbacks, recordProblem } from '../core/props.js';
import { constructOf } from '../core/value-schemas.js';
import { Size } from '../core/size.js';
import { NetworkMode, Stack } from '../core/stack.js';
import { Target } from '../core/target.js';
import { ComposeFile } from './compose-file.js';
import { DOCKER_MIN_MEMORY } from './compose-semantics.js';
import { LogFormat } from '../log-format/log-format.js';
import { Healthcheck } from './healthcheck.js';
import { imageContents, missingPrograms, programsRun, scriptPrograms } from './image-programs.js';
import { Network } from './network.js';
import { escapeDollar, renderComposeValue, secretsOf, type EnvValue } from './env-ref.js';
import { Secret, SECRET_NAME_PATTERN, SECRET_VALUE_NAME_PATTERN } from './secret.js';
import {
  cleanContainerPath,
  containerPath,
  DependencyCondition,
  dependencyOptionsSchema,
  envNameArg,
  environmentProblem,
  generatedArg,
  healthcheckArg,
  hostPathArg,
  labelProblem,
  mountOptionsSchema,
  RestartPolicy,
  serviceSchema,
  volumeArg,
  type DependencyOptions,
  type MetricsEndpoint,
  type MountOptions,
  type PortMapping,
  type ServiceProps,
} from './service-props.js';
import { sortKeys, Volume } from './volume.js';
import { checkedScope } from '../core/construct-args.js';
import {
  CONFIG_HASH_LABEL,
  IMAGE_LABEL,
  isService,
  markService,
  OPTIONAL_LABEL,
  type ComposeService,
  type DependencySpec,
  type MountSpec,
  type ServiceInternals,
} from './compose-service.js';

// What the files that render a service read of it (compose-service.ts) and its props (service-props.ts) are
// declared below this file, so that they need nothing of it; they are the Service's API, exported here.
export {
  CONFIG_HASH_LABEL,
  IMAGE_LABEL,
  OPTIONAL_LABEL,
  SERVICE_NAME,
  type ComposeService,
  type DependencySpec,
  type MountSpec,
  type ServiceInternals,
} from './compose-service.js';
export {
  DependencyCondition,
  RestartPolicy,
  type CommandArg,
  type DependencyOptions,
  type MetricsEndpoint,
  type MountOptions,
  type PortMapping,
  type ServiceProps,
} from './service-props.js';

const dependencyArg = constructOf<Service>('Service', (x): x is Service => Service.isService(x));

/**
 * A Compose service. Cross-references (dependencies, volumes, URLs) are typed
 * and resolved in the tree, so a renamed service cannot leave a dangling name.
 */
export class Service extends Construct implements ComposeService {
  public static isService(x: unknown): x is Service {
    return isService(x);
  }

  public readonly serviceName: string;
  public readonly image: Image;
  public readonly ports: readonly PortMapping[];
  public readonly metrics?: MetricsEndpoint;
  public readonly stack: Stack;
  private readonly environment = new Map<string, EnvValue>();
  private readonly labels: Record<string, string>;
  private readonly mounts: MountSpec[] = [];
  private readonly dependencies: Array<DependencySpec & { service: Service }> = [];
  private readonly overrides = new Overrides();
  private readonly networks: Network[];
  private healthcheckValue?: Healthcheck;
  private logFormatValue?: LogFormat;

  private readonly props: ServiceProps;

  constructor(scope: Construct, id: string, props: ServiceProps) {
    super(checkedScope('Service', scope, id), id);
    markService(this);
    // A wrong prop is recorded and left out (its default applies); a wrong image falls back to a
    // placeholder that is never written (synthesis stops on the recorded problem).
    props = checkProps(this, serviceSchema, props, { owner: 'Service' }, { image: 'invalid.invalid/unusable-image' });
    // The caller's object stays the caller's: changing it after this (props.command.push(...),
    // props.memoryLimit = '1g') must not change what was checked, nor crash the render.
    props = copyPlain(props);
    this.props = props;
    this.stack = Stack.of(this);
    this.serviceName = props.serviceName ?? id;
    this.image = Image.of(props.image);
    this.ports = props.ports ?? [];
    this.metrics = props.metrics;
    this.labels = { ...(props.labels ?? {}) };
    this.networks = [...(props.networks ?? [])];
    this.healthcheckValue = props.healthcheck;
    this.logFormatValue = props.logFormat;
    for (const [k, v] of Object.entries(props.environment ?? {})) this.environment.set(k, v);
    this.node.addValidation({ validate: () => this.validateService() });
    ComposeFile.of(this.stack);
  }

  /** @internal Adds arguments to the command (a construct that made this service turning on one of its flags later). */
  public _addCommandArgs(...args: string[]): void {
    (this.props as { command?: ServiceProps['command'] }).command = [...(this.props.command ?? []), ...args];
  }

  /** The service's healthcheck, if it has one. */
  public get healthcheck(): Healthcheck | undefined {
    return this.healthcheckValue;
  }

  /** Sets or replaces the healthcheck. */
  public setHealthcheck(hc: Healthcheck): void {
    if (checkArgs(this, 'setHealthcheck', { healthcheck: [healthcheckArg, hc] })) this.healthcheckValue = hc;
  }

  /** The format of the service's log lines, if declared. */
  public get logFormat(): LogFormat | undefined {
    return this.logFormatValue;
  }

  /** Declares (or replaces) the format of the service's log lines. */
  public setLogFormat(format: LogFormat): void {
    this.logFormatValue = format;
  }

  /** Sets an environment variable. Secrets must be {@link Secret} values. */
  public addEnvironment(name: string, value: EnvValue): void {
    if (!checkArgs(this, 'addEnvironment', { name: [envNameArg, name] })) return;
    const problem = environmentProblem(name, value);
    if (problem) recordProblem(this, `addEnvironment(): ${problem}`);
    else this.environment.set(name, value);
  }

  /** The secrets the service uses: in its environment, command and entrypoint. */
  public secretEnvironment(): Secret[] {
    const values = [...this.environment.values(), ...(this.props.command ?? []), ...(this.props.entrypoint ?? [])];
    return values.flatMap((v) => secretsOf(v));
  }

  /** Adds a container label. */
  public addLabel(name: string, value: string): void {
    const problem = labelProblem(name, value);
    if (problem) recordProblem(this, `addLabel(): ${problem}`);
    else this.labels[name] = value;
  }

  /** Mounts a named volume of the same stack. */
  public addVolume(volume: Volume, target: string, options: MountOptions = {}): void {
    if (!checkArgs(this, 'addVolume', { volume: [volumeArg, volume], target: [containerPath, target], options: [mountOptionsSchema, options] })) return;
    this.mounts.push({ kind: 'volume', volume, target, readOnly: options.readOnly ?? false });
  }

  /** Bind-mounts a host path (absolute, or relative to the compose file). */
  public addBind(source: string, target: string, options: MountOptions = {}): void {
    if (!checkArgs(this, 'addBind', { source: [hostPathArg, source], target: [containerPath, target], options: [mountOptionsSchema, options] })) return;
    this.mounts.push({ kind: 'bind', source, target, readOnly: options.readOnly ?? false });
  }

  /**
   * Mounts a generated file, or a directory of generated files (by path
   * prefix), read-only. Their content goes into the service's config hash, so
   * a changed file changes the service and it is recreated.
   */
  public mountGenerated(fileOrDirectory: GeneratedFile | string, target: string, options: MountOptions = {}): void {
    if (
      !checkArgs(this, 'mountGenerated', {
        fileOrDirectory: [generatedArg, fileOrDirectory],
        target: [containerPath, target],
        options: [mountOptionsSchema, options],
      })
    ) {
      return;
    }
    const prefix = typeof fileOrDirectory === 'string' ? fileOrDirectory.replace(/\/+$/, '') : fileOrDirectory.filePath;
    this.mounts.push({ kind: 'generated', prefix, target, readOnly: options.readOnly ?? true });
  }

  /** Makes this service start after `other`. */
  public addDependency(other: Service, options: DependencyOptions = {}): void {
    if (!checkArgs(this, 'addDependency', { other: [dependencyArg, other], options: [dependencyOptionsSchema, options] })) return;
    const dependency = { service: other, condition: options.condition ?? DependencyCondition.STARTED, required: options.required ?? true };
    // Compose keeps one depends_on entry per service: a second call would silently replace the first.
    const earlier = this.dependencies.find((d) => d.service === other);
    if (earlier) {
      if (earlier.condition !== dependency.condition || earlier.required !== dependency.required) {
        recordProblem(
          this,
          `addDependency(): ${other.node.path} is already a dependency (condition '${earlier.condition}', required ${earlier.required}), and a service has one entry per dependency: call addDependency once for it, with { condition: DependencyCondition.${conditionName(dependency.condition)}, required: ${dependency.required} } if that is the one meant`,
        );
      }
      return;
    }
    this.dependencies.push(dependency);
  }

  /** The restart policy. */
  public get restart(): RestartPolicy {
    return this.props.restart ?? RestartPolicy.UNLESS_STOPPED;
  }

  /** The services this one depends on. */
  public get dependsOn(): ReadonlyArray<{ service: Service; condition: DependencyCondition; required: boolean }> {
    return this.dependencies;
  }

  /**
   * Escape hatch: sets (or, with `undefined`, deletes) a key of this service
   * in the compose file that the typed API does not cover.
   */
  public addOverride(path: string, value: unknown): void {
    const problem = Overrides.problem(path, value);
    if (problem) recordProblem(this, problem);
    else this.overrides.add(path, value);
  }

  /**
   * The container's time zone as the stack sets it (`TZ` in its environment): undefined when the
   * stack does not set it (the clock is then UTC, unless the image sets TZ itself), the zone's name,
   * or null when it is not known at synth time (a variable, a secret, or an override of `environment`).
   */
  public get timeZone(): string | null | undefined {
    if (this.overrides.touches('environment.TZ')) return null;
    const tz = this.environment.get('TZ');
    if (tz === undefined) return undefined;
    return typeof tz === 'string' ? tz : null;
  }

  /** True when {@link addOverride} was called. */
  public get hasOverrides(): boolean {
    return !this.overrides.isEmpty;
  }

  /** Host name by which other services of the stack reach this one. */
  public get hostname(): string {
    return this.stack.hostnameOf(this.serviceName);
  }

  /**
   * URL by which other services of the stack reach this one, with the scheme the port declares:
   * `SCHEME://localhost:PORT` on host networking, `SCHEME://SERVICE:PORT` on a bridge. A port
   * that declares no scheme has no URL: use {@link address}, or declare the port's `scheme`.
   */
  public url(port: number, path = ''): string {
    const p = this.requirePort(port);
    if (p.scheme === undefined) {
      throw new ConstructError(
        this.node.path,
        `port ${port} declares no scheme, so there is no URL to it: give the port a scheme (e.g. { containerPort: ${port}, scheme: 'http' }), or use address(${port}) for host:port`,
      );
    }
    return `${p.scheme}://${this.address(port)}${path}`;
  }

  /** `HOST:PORT` by which other services of the stack reach this one (any protocol). */
  public address(port: number): string {
    this.requirePort(port);
    return `${this.hostname}:${port}`;
  }

  /**
   * Where a person on the host reaches this service: a URL when the port declares a scheme, else
   * `HOST:PORT`; undefined if the port is not published.
   */
  public hostUrl(port: number, path = ''): string | undefined {
    const p = this.requirePort(port);
    if (!this.isPublished(p)) return undefined;
    // Swarm's ingress publishes the port on every interface of every node, this one included
    // (docs.docker.com/engine/swarm/ingress/: "the routing mesh ... on all nodes").
    const host =
      this.stack.target === Target.SWARM
        ? 'localhost'
        : this.stack.networkMode === NetworkMode.HOST
          ? displayHost(this.stack.bindAddress)
          : displayHost(p.hostIp ?? this.stack.bindAddress);
    const hostPort = this.stack.networkMode === NetworkMode.HOST && this.stack.target !== Target.SWARM ? p.containerPort : (p.hostPort ?? p.containerPort);
    return p.scheme === undefined ? `${host}:${hostPort}` : `${p.scheme}://${host}:${hostPort}${path}`;
  }

  /** Whether a port of this service is published on the host (see {@link PortMapping.publish}). */
  public isPublished(p: PortMapping): boolean {
    return p.publish ?? this.stack.target !== Target.SWARM;
  }

  /** @internal What a renderer for another target (src/swarm) reads; Compose's entry is {@link _toCompose}. */
  public _model(): ServiceInternals {
    return {
      props: this.props,
      environment: this.environment,
      labels: this.labels,
      mounts: this.mounts,
      dependencies: this.dependencies,
      networks: this.networks,
      overrides: this.overrides,
    };
  }

  /** Paths of the generated files this service mounts. */
  public mountedFilePaths(files: readonly GeneratedFile[]): string[] {
    const prefixes = this.generatedMounts;
    return files
      .map((f) => f.filePath)
      .filter((p) => prefixes.some((pre) => p === pre || p.startsWith(pre + '/')))
      .sort();
  }

  /** Path prefixes of the generated files and directories this service mounts. */
  public get generatedMounts(): string[] {
    return this.mounts.flatMap((m) => (m.kind === 'generated' ? [m.prefix] : []));
  }

  private requirePort(port: number): PortMapping {
    const p = this.ports.find((x) => x.containerPort === port);
    if (!p) {
      throw new ConstructError(
        this.node.path,
        `has no port ${port}; declare it in 'ports' (declared: ${this.ports.map((x) => x.containerPort).join(', ') || 'none'})`,
      );
    }
    return p;
  }

  /**
   * The OpenTelemetry SDK's variables for a service that sends OTLP (`otlp: true`), from the stack's
   * OTLP intake. Names and values from the OpenTelemetry specification's SDK environment variables and
   * OTLP exporter configuration (specification/configuration/sdk-environment-variables.md,
   * protocol/exporter.md: with `http/protobuf`, logs go to ENDPOINT/v1/logs).
   */
  private otlpEnvironment(): Map<string, EnvValue> {
    const intake = this.props.otlp ? this.stack.otlpIntake : undefined;
    if (!intake) return new Map();
    return new Map<string, EnvValue>([
      ['OTEL_EXPORTER_OTLP_ENDPOINT', intake.endpoint],
      ['OTEL_EXPORTER_OTLP_PROTOCOL', 'http/protobuf'],
      ['OTEL_LOGS_EXPORTER', 'otlp'],
      // key=value pairs, W3C Baggage syntax: a service name (letters, digits, '.', '_', '-') needs no escaping.
      ...(intake.serviceAttribute ? [['OTEL_RESOURCE_ATTRIBUTES', `${intake.serviceAttribute}=${this.serviceName}`] as [string, EnvValue]] : []),
      ['OTEL_SERVICE_NAME', this.serviceName],
    ]);
  }

  private validateService(): string[] {
    const errors: string[] = [];
    if (this.props.otlp && !this.stack.otlpIntake) {
      errors.push('otlp: true, but no collector of this stack receives OTLP: add Logging (its Alloy receives OTLP unless alloy.otlp is false), or remove otlp');
    }
    if (!SERVICE_NAME_PATTERN.test(this.serviceName)) {
      errors.push(`service name '${this.serviceName}' is invalid: use letters, digits, '.', '_' and '-'`);
    }
    for (const [name, value] of this.environment) {
      // `*_FILE` names a file holding the secret (the Docker secrets convention), not the secret itself.
      // A number or a boolean is written in clear as much as a string is (API_KEY: 123456789), when the name
      // says it is the secret itself (ends with the secret word); TOKEN_TTL: 3600 or PASSWORD_RESET: false are settings.
      const clear =
        (typeof value === 'string' && value !== '') || ((typeof value === 'number' || typeof value === 'boolean') && SECRET_VALUE_NAME_PATTERN.test(name));
      if (clear && SECRET_NAME_PATTERN.test(name) && !name.endsWith('_FILE')) {
        errors.push(
          `environment variable ${name} looks like a secret but is written in clear: use Secret.fromEnv('${name}') so the value stays out of generated files`,
        );
      } else if (typeof value === 'string' && /:\/\/[^/\s:@]+:[^/\s@]+@/.test(value)) {
        errors.push(`environment variable ${name} holds a URL with a password in clear: pass the password as a Secret (e.g. in its own variable)`);
      }
    }
    const seen = new Set<string>();
    for (const p of this.ports) {
      for (const [what, n] of [
        ['containerPort', p.containerPort],
        ['hostPort', p.hostPort ?? p.containerPort],
      ] as const) {
        if (!isPortNumber(n)) errors.push(`${what} ${n} is not a port number (${PORT_MIN}-${PORT_MAX})`);
      }
      if (this.stack.networkMode === NetworkMode.HOST && ((p.hostPort !== undefined && p.hostPort !== p.containerPort) || p.hostIp !== undefined)) {
        errors.push(
          `port ${p.containerPort}: on host networking the service listens on the host itself, so hostPort and hostIp cannot apply: make the service listen on the port you want, or use NetworkMode.BRIDGE`,
        );
      }
      const key = `${p.containerPort}/${p.protocol ?? 'tcp'}`;
      if (seen.has(key)) errors.push(`port ${key} is declared twice: declare each port once`);
      seen.add(key);
    }
    // A prop that fell back to its default was reported already: judging the default would blame the user for it.
    if (this.metrics && !isOnFallbacks(this, 'ports', 'metrics') && !this.ports.some((p) => p.containerPort === this.metrics!.port)) {
      errors.push(`metrics port ${this.metrics.port} is not one of the service's ports: add it to 'ports'`);
    }
    // Docker compares targets cleaned (path.Clean): '/data', '/data/' and '/data/./' are one path.
    const byTarget = new Map<string, string[]>();
    for (const m of this.mounts) byTarget.set(cleanContainerPath(m.target), [...(byTarget.get(cleanContainerPath(m.target)) ?? []), m.target]);
    for (const [target, written] of byTarget) {
      if (written.length < 2) continue;
      const forms = [...new Set(written)];
      errors.push(
        `${written.length === 2 ? 'two' : written.length} mounts share the target '${target}'${forms.length > 1 || forms[0] !== target ? ` (written ${forms.map((f) => `'${f}'`).join(', ')})` : ''}: mount each path once`,
      );
    }
    for (const m of this.mounts) {
      if (m.kind === 'volume' && Stack.of(m.volume) !== this.stack) {
        errors.push(`volume ${m.volume.node.path} belongs to another stack: create the volume in this service's stack`);
      }
      if (m.kind === 'bind' && !m.readOnly && (/\.sock$/.test(m.source) || /^\/(var\/)?run\/?$/.test(m.source))) {
        errors.push(`the Docker socket is mounted writable (${m.source}): mount it with { readOnly: true }`);
      }
    }
    for (const d of this.dependencies) {
      if (d.service === this) errors.push(`depends on itself: remove that dependency`);
      else if (d.service.stack !== this.stack) {
        errors.push(`depends on ${d.service.node.path}, which is in another stack: a dependency must be in the same stack`);
      } else if (d.condition === DependencyCondition.HEALTHY && !d.service.healthcheck && !isOnFallbacks(d.service, 'healthcheck')) {
        errors.push(`waits for '${d.service.serviceName}' to be healthy, but it has no healthcheck: give it one or use DependencyCondition.STARTED`);
      }
    }
    for (const n of this.networks) {
      if (Stack.of(n) !== this.stack) errors.push(`network ${n.node.path} belongs to another stack`);
    }
    if (this.logFormatValue !== undefined) {
      errors.push(
        ...(LogFormat.isLogFormat(this.logFormatValue)
          ? this.logFormatValue.validate()
          : ['logFormat is not a LogFormat: use LogFormat.json(), LogFormat.logfmt() or LogFormat.regex()']),
      );
    }
    const hc = this.healthcheck?.timing;
    if (hc?.retries !== undefined && (!Number.isInteger(hc.retries) || hc.retries < 1)) {
      errors.push(`healthcheck retries must be a whole number of at least 1`);
    }
    // moby daemon/daemon_unix.go linuxMinMemory: the Engine refuses to create the container ("Minimum memory limit allowed is 6MB").
    const mem = this.props.memoryLimit;
    if (mem && Size.isSize(mem) && mem.bytes > 0 && mem.bytes < DOCKER_MIN_MEMORY) {
      errors.push(
        `memoryLimit: ${mem.bytes === 1 ? '1 byte' : `${mem.bytes} bytes`} is below Docker's smallest memory limit, 6 MiB (the Engine refuses to create the container: Minimum memory limit allowed is 6MB): give at least Size.mebibytes(6), or no memoryLimit`,
      );
    }
    errors.push(...this.oneShotProblems());
    errors.push(...this.imageProgramProblems());
    return errors;
  }

  /**
   * A healthcheck or entrypoint (after overrides) that runs a program the image lacks (see
   * image-programs.ts): it never passes, or the container never starts. A command alone is not
   * judged: those images have an ENTRYPOINT (their binary), which takes the command as arguments.
   */
  private imageProgramProblems(): string[] {
    const contents = imageContents(this.image);
    if (!contents) return [];
    let final: { healthcheck?: { test?: unknown }; entrypoint?: unknown; command?: unknown };
    try {
      final = this.overrides.applyTo({
        ...(this.healthcheck ? { healthcheck: this.healthcheck._toCompose() } : {}),
        ...(this.props.entrypoint ? { entrypoint: this.props.entrypoint.map((a) => (typeof a === 'string' ? a : '')) } : {}),
        ...(this.props.command ? { command: this.props.command.map((a) => (typeof a === 'string' ? a : '')) } : {}),
      });
    } catch {
      return []; // an override that cannot be applied is reported by the compose file
    }
    const strings = (x: unknown): string[] | undefined =>
      Array.isArray(x) && x.every((w) => typeof w === 'string') ? (x as string[]) : typeof x === 'string' ? x.split(/\s+/).filter(Boolean) : undefined;
    const errors: string[] = [];
    const lacks = contents.lacks;
    const lacking = `image ${this.image.ref} has no ${lacks.length > 1 ? `${lacks.slice(0, -1).join(', ')} or ${lacks[lacks.length - 1]}` : lacks[0]}`;
    // Compose runs a healthcheck test given as a string with the shell (CMD-SHELL).
    const rawTest = final.healthcheck?.test;
    const test = typeof rawTest === 'string' ? ['CMD-SHELL', rawTest] : strings(rawTest);
    if (test && (test[0] === 'CMD' || test[0] === 'CMD-SHELL')) {
      const run = test[0] === 'CMD' ? programsRun(test.slice(1)) : ['sh', ...scriptPrograms(test.slice(1).join(' '))];
      const missing = missingPrograms(contents, run);
      if (missing.length) errors.push(`healthcheck runs ${missing.join(' and ')}, but ${lacking}: it can never pass; use ${contents.probe}`);
    }
    const entrypoint = strings(final.entrypoint);
    if (entrypoint) {
      const missing = missingPrograms(contents, programsRun([...entrypoint, ...(strings(final.command) ?? [])]));
      if (missing.length) errors.push(`entrypoint runs ${missing.join(' and ')}, but ${lacking}: the container can never start; run the image's own program`);
    }
    return errors;
  }

  /**
   * A one-shot job (a service that a dependent waits on with COMPLETED_SUCCESSFULLY) must not be
   * restarted when it exits: with `always` or `unless-stopped` Docker starts it again after it
   * succeeded, so it runs over and over (and a dependent may never see it completed).
   */
  private oneShotProblems(): string[] {
    if (isOnFallbacks(this, 'restart') || (this.restart !== RestartPolicy.ALWAYS && this.restart !== RestartPolicy.UNLESS_STOPPED)) return [];
    const waiting = ComposeFile.of(this.stack)
      .services()
      .filter((s) => s.dependsOn.some((d) => d.service === this && d.condition === DependencyCondition.COMPLETED_SUCCESSFULLY));
    if (waiting.length === 0) return [];
    return [
      `is a one-shot job (${waiting.map((s) => s.node.path).join(' and ')} wait${waiting.length === 1 ? 's' : ''} for it with DependencyCondition.COMPLETED_SUCCESSFULLY), ` +
        `but its restart policy '${this.restart}'${this.props.restart === undefined ? ' (the default)' : ''} starts it again after it exits: ` +
        `set restart: RestartPolicy.NO (or RestartPolicy.ON_FAILURE to retry only failures)`,
    ];
  }

  /** @internal The service's entry in the compose file. */
  public _toCompose(files: readonly GeneratedFile[]): Record<string, unknown> {
    const p = this.props;
    const host = this.stack.networkMode === NetworkMode.HOST;
    const out: Record<string, unknown> = { image: this.stack.imageName(this.image) };
    if (p.entrypoint) out.entrypoint = p.entrypoint.map(renderComposeValue);
    if (p.command) out.command = p.command.map(renderComposeValue);
    if (p.user) out.user = escapeDollar(p.user);
    const environment = new Map([...this.otlpEnvironment(), ...this.environment]);
    if (environment.size) {
      out.environment = sortKeys(Object.fromEntries([...environment].map(([k, v]) => [k, renderComposeValue(v)])));
    }
    if (host) out.network_mode = 'host';
    else {
      // A port declared twice is reported by validation; written once.
      const published = this.ports.filter(
        (x, i) =>
          this.isPublished(x) && this.ports.findIndex((y) => y.containerPort === x.containerPort && (y.protocol ?? 'tcp') === (x.protocol ?? 'tcp')) === i,
      );
      if (published.length) {
        out.ports = published.map((x) => ({
          target: x.containerPort,
          published: String(x.hostPort ?? x.containerPort),
          // Written without brackets, as bindAddress is: '[::1]' and '::1' are one address.
          host_ip: (x.hostIp ?? this.stack.bindAddress).replace(/^\[(.*)\]$/, '$1'),
          protocol: x.protocol ?? 'tcp',
        }));
      }
      if (this.networks.length) out.networks = this.networks.map((n) => n.networkName).sort();
    }
    if (this.mounts.length) {
      out.volumes = this.mounts.map((m) => {
        const ro = m.readOnly ? { read_only: true } : {};
        switch (m.kind) {
          case 'volume':
            return { type: 'volume', source: m.volume.volumeName, target: m.target, ...ro };
          case 'bind':
            return { type: 'bind', source: escapeDollar(m.source), target: m.target, ...ro };
          case 'generated':
            return { type: 'bind', source: `./${m.prefix}`, target: m.target, ...ro };
        }
      });
    }
    if (this.healthcheck) {
      const hc = this.healthcheck._toCompose();
      out.healthcheck = { ...hc, test: (hc.test as string[]).map(escapeDollar) };
    }
    if (this.dependencies.length) {
      const deps = [...this.dependencies].sort((a, b) => (a.service.serviceName < b.service.serviceName ? -1 : 1));
      out.depends_on = Object.fromEntries(deps.map((d) => [d.service.serviceName, { condition: d.condition, ...(d.required ? {} : { required: false }) }]));
    }
    out.restart = p.restart ?? RestartPolicy.UNLESS_STOPPED;
    if (p.memoryLimit) out.mem_limit = p.memoryLimit.toComposeString();
    const labels: Record<string, string> = { ...this.labels, [IMAGE_LABEL]: this.stack.imageName(this.image) };
    if (p.optional) labels[OPTIONAL_LABEL] = 'true';
    const mounted = this.mountedFilePaths(files);
    if (mounted.length) {
      const h = createHash('sha256');
      for (const f of files.filter((x) => mounted.includes(x.filePath)).sort((a, b) => (a.filePath < b.filePath ? -1 : 1))) {
        let content: string;
        try {
          content = renderedContent(f);
        } catch (e) {
          // That file reports its own problem; hash on, so the compose file's own checks still run.
          if (!UserError.isUserError(e)) throw e;
          content = '<unrenderable>';
        }
        h.update(f.filePath).update('\0').update(content).update('\0');
      }
      labels[CONFIG_HASH_LABEL] = h.digest('hex');
    }
    out.labels = sortKeys(Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, escapeDollar(v)])));
    return this.overrides.applyTo(out, this.node.path);
  }
}

function displayHost(addr: string): string {
  if (addr === '0.0.0.0' || addr === '127.0.0.1') return 'localhost';
  return addr.includes(':') && !addr.startsWith('[') ? `[${addr}]` : addr;
}

/** The member name of a DependencyCondition value, as a fix writes it. */
function conditionName(c: DependencyCondition): string {
  return Object.entries(DependencyCondition).find(([, v]) => v === c)?.[0] ?? String(c);
}
