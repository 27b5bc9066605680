import { DocumentFile, GeneratedFile, memoInRenderSession } from '../core/generated-file.js';
import { NetworkMode, Stack } from '../core/stack.js';
import { Target } from '../core/target.js';
import { checkSwarmSchema } from '../swarm/swarm-schema.js';
import { checkSwarmStack, renderSwarmStack, SWARM_STACK_FILE, type SwarmStackParts } from '../swarm/swarm-stack.js';
import { checkComposeSchema } from './compose-schema.js';
import { checkComposeValues } from './compose-values.js';
import { Network } from './network.js';
import { Service } from './service.js';
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
  public services(): Service[] {
    // Once per synthesis: each service's validation asks for the others (who waits for it), which walked
    // the whole tree once per service (1,000 services: ~0.15 s of a 0.3 s synthesis).
    const all = memoInRenderSession(this, 'services', () =>
      this.stack.node.findAll().filter((c): c is Service => Service.isService(c) && c.stack === this.stack),
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
    return this.stack.node
      .findAll()
      .filter((c): c is GeneratedFile => GeneratedFile.isGeneratedFile(c) && c !== this && Stack.of(c) === this.stack);
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
      const schema = [...checkSwarmSchema(doc), ...checkComposeSchema(doc)];
      if (schema.length) this.fail(`the stack file is not what docker stack deploy accepts (check overrides): ${schema.join('; ')}`);
      return;
    }
    const problems = checkComposeSchema(doc);
    if (problems.length) {
      this.fail(`the compose file does not match the compose-spec schema${this.hasOverrides || this.services().some((x) => x.hasOverrides) ? ' (check overrides)' : ''}: ${problems.join('; ')}`);
    }
    const values = checkComposeValues(doc);
    if (values.length) this.fail(`the compose file has values Compose or Docker would refuse (check overrides): ${values.join('; ')}`);
  }

  private validateStack(): string[] {
    const errors: string[] = [];
    const services = this.services();
    if (services.length === 0) errors.push('the stack has no services: add at least one');
    errors.push(...duplicates(services, (s) => s.serviceName, 'service name'));
    errors.push(...duplicates(this.volumes(), (v) => v.volumeName, 'volume name'));
    errors.push(...duplicates(this.networks(), (n) => n.networkName, 'network name'));
    errors.push(...this.portConflicts(services));
    if (this.stack.target === Target.SWARM) errors.push(...this.swarmProblems());
    for (const cycle of findCycles(services)) errors.push(`depends_on has a cycle: ${cycle.join(' -> ')}: remove one of these dependencies`);
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

  private portConflicts(services: Service[]): string[] {
    const host = this.stack.networkMode === NetworkMode.HOST;
    const users = new Map<string, { ip: string; port: number; proto: string; paths: string[] }>();
    for (const s of services) {
      for (const p of s.ports) {
        if (!host && !s.isPublished(p)) continue;
        const port = host ? p.containerPort : (p.hostPort ?? p.containerPort);
        // Swarm's ingress takes a published port on every address of every node.
        const ip = host ? '*' : this.stack.target === Target.SWARM ? '0.0.0.0' : (p.hostIp ?? this.stack.bindAddress);
        const proto = p.protocol ?? 'tcp';
        const key = `${ip}|${port}|${proto}`;
        const e = users.get(key) ?? { ip, port, proto, paths: [] };
        e.paths.push(s.node.path);
        users.set(key, e);
      }
    }
    const errors: string[] = [];
    const list = [...users.values()];
    for (let i = 0; i < list.length; i++) {
      const a = list[i];
      const clash = [...a.paths];
      for (let j = i + 1; j < list.length; j++) {
        const b = list[j];
        // 0.0.0.0 takes the port on every address.
        if (a.port === b.port && a.proto === b.proto && (a.ip === b.ip || a.ip === '0.0.0.0' || b.ip === '0.0.0.0')) clash.push(...b.paths);
      }
      // One service declaring a port twice reports that itself.
      if (new Set(clash).size > 1) {
        errors.push(
          `host port ${a.port}/${a.proto} is used by ${[...new Set(clash)].join(' and ')}: give each service its own ${host ? 'port' : 'hostPort'}`,
        );
      }
    }
    return errors;
  }
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

function findCycles(services: Service[]): string[][] {
  // Each cycle once: a back edge closes a cycle; one that shares a service with a cycle already found is
  // the same tangle (fixing that one may leave another to report), one that shares none is another mistake.
  const state = new Map<Service, 'visiting' | 'done'>();
  const stack: Service[] = [];
  const cycles: Service[][] = [];
  const visit = (s: Service): void => {
    if (state.get(s) === 'done') return;
    if (state.get(s) === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(s)), s];
      if (!cycles.some((c) => c.some((x) => cycle.includes(x)))) cycles.push(cycle);
      return;
    }
    state.set(s, 'visiting');
    stack.push(s);
    for (const d of s.dependsOn) visit(d.service);
    stack.pop();
    state.set(s, 'done');
  };
  for (const s of services) visit(s);
  return cycles.map((c) => c.map((x) => x.serviceName));
}
