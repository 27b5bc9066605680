import { UserError } from '../core/errors.js';
import { DocumentFile, GeneratedFile, memoInRenderSession } from '../core/generated-file.js';
import { NetworkMode, Stack } from '../core/stack.js';
import { Target } from '../core/target.js';
import { checkSwarmSchema } from '../swarm/swarm-schema.js';
import { checkSwarmStack, renderSwarmStack, SWARM_STACK_FILE, type SwarmStackParts } from '../swarm/swarm-stack.js';
import { checkComposeSchema } from './compose-schema.js';
import { checkComposeSemantics } from './compose-semantics.js';
import { Network } from './network.js';
import { isService, type ComposeService } from './compose-service.js';
import { findCycles } from '../core/dependency-cycle.js';
import { SERVICE_NAME_PATTERN } from '../core/name-patterns.js';
import { normaliseIp, publishedPorts } from '../core/port.js';
import { sortKeys, Volume } from './volume.js';

const COMPOSE_FILE_ID = 'ComposeFile';

/**
 * The stack's `docker-compose.yml`, or under {@link Target.SWARM} its
 * `docker-stack.yml` for `docker stack deploy` (rendered by src/swarm). There
 * is one per stack, created by the first service; get it with
 * {@link ComposeFile.of} to add overrides.
 */
export class ComposeFile extends DocumentFile {
  /** The compose file of a stack (created on first use). */
  public static of(stack: Stack): ComposeFile {
    const existing = stack.node.tryFindChild(COMPOSE_FILE_ID);
    return (existing as ComposeFile | undefined) ?? new ComposeFile(stack);
  }

  private constructor(private readonly stack: Stack) {
    super(stack, COMPOSE_FILE_ID, { filePath: stack.target === Target.SWARM ? SWARM_STACK_FILE : 'docker-compose.yml' });
    this.node.addValidation({ validate: () => this.validateStack() });
  }

  /** The services of the stack, in tree order. */
  public services(): ComposeService[] {
    // Once per synthesis: each service's validation asks for the others (who waits for it), which walked
    // the whole tree once per service (1,000 services: ~0.15 s of a 0.3 s synthesis).
    const all = memoInRenderSession(this, 'services', () =>
      this.stack.node.findAll().filter((c): c is ComposeService => isService(c) && c.stack === this.stack),
    );
    return [...all];
  }

  private volumes(): Volume[] {
    return this.stack.node.findAll().filter((c): c is Volume => Volume.isVolume(c) && Stack.of(c) === this.stack);
  }

  private networks(): Network[] {
    return this.stack.node.findAll().filter((c): c is Network => Network.isNetwork(c) && Stack.of(c) === this.stack);
  }

  private otherFiles(): GeneratedFile[] {
    return this.stack.node.findAll().filter((c): c is GeneratedFile => GeneratedFile.isGeneratedFile(c) && c !== this && Stack.of(c) === this.stack);
  }

  private swarmParts(): SwarmStackParts {
    return { stack: this.stack, services: this.services(), files: this.otherFiles(), volumes: this.volumes(), networks: this.networks() };
  }

  protected buildDocument(): unknown {
    if (this.stack.target === Target.SWARM) return renderSwarmStack(this.swarmParts());
    const files = this.otherFiles();
    const services = [...this.services()].sort((a, b) => cmp(a.serviceName, b.serviceName));
    const doc: Record<string, unknown> = {
      name: this.stack.projectName,
      services: Object.fromEntries(services.map((s) => [s.serviceName, s._toCompose(files)])),
    };
    const networks = this.networks();
    if (networks.length) {
      doc.networks = sortKeys(Object.fromEntries(networks.map((n) => [n.networkName, n._toCompose()])));
    }
    const volumes = this.volumes();
    if (volumes.length) {
      doc.volumes = sortKeys(Object.fromEntries(volumes.map((v) => [v.volumeName, v._toCompose()])));
    }
    return doc;
  }

  protected override checkDocument(doc: unknown): void {
    if (this.stack.target === Target.SWARM) {
      // What docker stack deploy's own schema (format 3.9) accepts, then the compose-spec.
      const schema = [...checkSwarmSchema(doc, this.reportedServiceNames()), ...checkComposeSchema(doc, this.reportedServiceNames())];
      if (schema.length) this.fail(`the stack file is not what docker stack deploy accepts (check overrides): ${schema.join('; ')}`);
      return;
    }
    const problems = checkComposeSchema(doc, this.reportedServiceNames());
    if (problems.length) {
      this.fail(
        `the compose file does not match the compose-spec schema${this.hasOverrides || this.services().some((x) => x.hasOverrides) ? ' (check overrides)' : ''}: ${problems.join('; ')}`,
      );
    }
    // Values Compose or Docker would refuse past the schema are reported by validation (semanticProblems), one by one.
  }

  /**
   * Names of typed services that the service's own validation reports as invalid: the schema's
   * "/services must NOT have additional properties 'web server'" would be the same problem again.
   * A bad name that only an override makes is still the schema's to report.
   */
  private reportedServiceNames(): ReadonlySet<string> {
    return new Set(
      this.services()
        .map((s) => s.serviceName)
        .filter((n) => !SERVICE_NAME_PATTERN.test(n)),
    );
  }

  /** The final document (after overrides), unchecked, once per render session; undefined when it does not build (its render reports why). */
  private finalDocument(): Record<string, unknown> | undefined {
    return memoInRenderSession(this, 'finalDocument', () => {
      try {
        const doc = this.uncheckedDocument();
        return typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>) : undefined;
      } catch (e) {
        if (UserError.isUserError(e)) return undefined;
        throw e;
      }
    });
  }

  /**
   * What Compose refuses in the final document that its schema lets through (compose-semantics.ts),
   * each reported at the construct that made the value: the service, or the ComposeFile, whose
   * addOverride set it (named with its path), else the service itself.
   */
  private semanticProblems(): string[] {
    const doc = this.finalDocument();
    // A document the schema refuses is reported by its render; judging its values again would report one problem twice.
    if (!doc || checkComposeSchema(doc, this.reportedServiceNames()).length) return [];
    const byName = new Map(this.services().map((s) => [s.serviceName, s]));
    const swarm = this.stack.target === Target.SWARM;
    const found = checkComposeSemantics(doc, { swarm });
    return found.flatMap(({ at, message, typed }: { at: readonly string[]; message: string; typed?: true }) => {
      const service = at[0] === 'services' ? byName.get(at[1]) : undefined;
      const ofService = service?._model().overrides.touching(at.slice(2));
      const ofFile = ofService === undefined ? this.overrideTouching(at) : undefined;
      const via = ofService ?? ofFile;
      // A value of the typed API that its own check reports (memoryLimit): one message per problem.
      if (typed && via === undefined) return [];
      const where = ofService !== undefined || ofFile === undefined ? (service ?? this) : this;
      return [`[${where.node.path}] ${at.join('.')}${via !== undefined ? ` (set by addOverride('${via}'))` : ''}: ${message}`];
    });
  }

  private validateStack(): string[] {
    const errors: string[] = [];
    const services = this.services();
    if (services.length === 0) errors.push('the stack has no services: add at least one');
    errors.push(...duplicates(services, (s) => s.serviceName, 'service name'));
    errors.push(...duplicates(this.volumes(), (v) => v.volumeName, 'volume name'));
    errors.push(...duplicates(this.networks(), (n) => n.networkName, 'network name'));
    errors.push(...this.portConflicts());
    errors.push(...this.semanticProblems());
    if (this.stack.target === Target.SWARM) errors.push(...this.swarmProblems());
    for (const cycle of findCycles(services, (s) => s.dependsOn.map((d) => d.service))) {
      errors.push(`depends_on has a cycle: ${cycle.map((s) => s.serviceName).join(' -> ')}: remove one of these dependencies`);
    }
    const files = this.otherFiles();
    errors.push(...duplicates([this, ...files], (f) => f.filePath, 'generated file path'));
    for (const s of services) {
      for (const prefix of s.generatedMounts) {
        if (!files.some((f) => f.filePath === prefix || f.filePath.startsWith(prefix + '/'))) {
          errors.push(`[${s.node.path}] mounts the generated '${prefix}', but the stack generates no file there`);
        }
      }
    }
    // Reported at the stack: these are about the services together.
    return errors.map((e) => (e.startsWith('[') ? e : `[${this.stack.node.path}] ${e}`));
  }

  /** Problems of the final stack file that its schema cannot see (src/swarm); a file that does not render reports that itself. */
  private swarmProblems(): string[] {
    let doc: unknown;
    try {
      doc = this.document();
    } catch {
      return [];
    }
    return checkSwarmStack(doc as Record<string, unknown>, this.swarmParts());
  }

  /**
   * @internal The host ports this stack's services take, as the final document publishes them
   * (overrides included); with host networking, the ports the services listen on. Once per render session.
   */
  public _hostPortBindings(): readonly HostPortBinding[] {
    return memoInRenderSession(this, 'hostPortBindings', () => {
      const out: HostPortBinding[] = [];
      const byName = new Map(this.services().map((s) => [s.serviceName, s]));
      const who = (name: string) => byName.get(name)?.node.path ?? `${this.node.path} services.${name}`;
      if (this.stack.networkMode === NetworkMode.HOST) {
        for (const s of this.services()) {
          // On the host's network every port the service listens on is taken on the host, published or not, on
          // the stack's listen address (as aixcl-deploy's preflight reads it, src/deploy/target.ts hostNetworkPorts).
          // A port declared twice is the service's own problem (it reports it): counted once here.
          const seen = new Set<string>();
          const ip = normaliseIp(this.stack.bindAddress);
          for (const p of s.ports) {
            const key = `${p.containerPort}/${p.protocol ?? 'tcp'}`;
            if (!seen.has(key)) out.push({ stack: this.stack, service: s.node.path, ip, port: p.containerPort, proto: p.protocol ?? 'tcp' });
            seen.add(key);
          }
        }
        return out;
      }
      const doc = this.finalDocument();
      const services = doc && typeof doc.services === 'object' && doc.services !== null ? (doc.services as Record<string, unknown>) : {};
      // Swarm publishes a port (mode host or the ingress mesh) on every address of the node.
      const swarm = this.stack.target === Target.SWARM;
      for (const [name, svc] of Object.entries(services)) {
        const ports = typeof svc === 'object' && svc !== null ? (svc as Record<string, unknown>).ports : undefined;
        if (!Array.isArray(ports)) continue;
        for (const p of ports) {
          for (const b of publishedPorts(p)) out.push({ stack: this.stack, service: who(name), ...b, ip: swarm ? '0.0.0.0' : b.ip });
        }
      }
      return out;
    });
  }

  /**
   * Host ports taken twice: by two services, by one service twice, or by services of two stacks of the
   * app (aixcl-deploy deploys every stack of an app to the same Docker engine, src/deploy/target.ts).
   * Addresses are compared normalised (`[::1]`, `::1` and `0:0:0:0:0:0:0:1` are one address); a
   * wildcard (0.0.0.0 for IPv4, :: for IPv6, no host_ip for both) takes the port on every address.
   * A clash within the stack is reported here; one across stacks by the first stack of it.
   */
  private portConflicts(): string[] {
    const mine = this._hostPortBindings();
    // Compose stacks share the engine they are deployed to; a Swarm stack's ports are on the nodes its tasks run on.
    const others =
      this.stack.target === Target.SWARM
        ? []
        : this.node.root.node
            .findAll()
            .filter((c): c is Stack => Stack.isStack(c) && c !== this.stack && c.target !== Target.SWARM)
            .flatMap((st) => {
              const f = st.node.tryFindChild(COMPOSE_FILE_ID);
              return f instanceof ComposeFile ? f._hostPortBindings() : [];
            });
    const stackOrder = this.node.root.node.findAll().filter((c): c is Stack => Stack.isStack(c));
    const all = [...mine, ...others];
    const errors: string[] = [];
    const groups = new Map<string, HostPortBinding[]>();
    for (const b of all) groups.set(`${b.port}/${b.proto}`, [...(groups.get(`${b.port}/${b.proto}`) ?? []), b]);
    for (const [key, bindings] of groups) {
      // Components of overlapping bindings (union-find over the pairs that overlap).
      const parent = bindings.map((_, i) => i);
      const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
      for (let i = 0; i < bindings.length; i++) {
        for (let j = i + 1; j < bindings.length; j++) if (overlaps(bindings[i].ip, bindings[j].ip)) parent[find(j)] = find(i);
      }
      const components = new Map<number, HostPortBinding[]>();
      bindings.forEach((b, i) => components.set(find(i), [...(components.get(find(i)) ?? []), b]));
      for (const group of components.values()) {
        if (group.length < 2) continue;
        const stacks = [...new Set(group.map((b) => b.stack))].sort((a, b) => stackOrder.indexOf(a) - stackOrder.indexOf(b));
        if (stacks[0] !== this.stack) continue;
        const paths = [...new Set(group.map((b) => b.service))];
        const fix = this.stack.networkMode === NetworkMode.HOST ? 'port' : 'hostPort';
        if (paths.length === 1) {
          errors.push(`host port ${key} is published twice by ${paths[0]}: give each of its ports its own ${fix}`);
        } else {
          errors.push(
            `host port ${key} is used by ${paths.join(' and ')}: give each service its own ${fix}` +
              (stacks.length > 1 ? ` (the stacks of an app are deployed to the same Docker engine)` : ''),
          );
        }
      }
    }
    return errors;
  }
}

/** @internal A host port a service takes. */
export interface HostPortBinding {
  readonly stack: Stack;
  /** Construct path of the service (or where the compose file names it). */
  readonly service: string;
  /** Normalised address: an IPv4 or compressed IPv6 address, 0.0.0.0 or :: (every address of a family), or '*' (every address). */
  readonly ip: string;
  readonly port: number;
  readonly proto: string;
}

function overlaps(a: string, b: string): boolean {
  if (a === b || a === '*' || b === '*') return true;
  const family = (ip: string) => (ip.includes(':') ? 6 : 4);
  return (a === '0.0.0.0' || a === '::' || b === '0.0.0.0' || b === '::') && family(a) === family(b);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function duplicates<T extends { node: { path: string } }>(items: T[], key: (t: T) => string, what: string): string[] {
  const by = new Map<string, string[]>();
  for (const i of items) by.set(key(i), [...(by.get(key(i)) ?? []), i.node.path]);
  return [...by]
    .filter(([, paths]) => paths.length > 1)
    .map(([k, paths]) => `${what} '${k}' is used by ${paths.join(' and ')}: names must be unique in a stack`);
}
