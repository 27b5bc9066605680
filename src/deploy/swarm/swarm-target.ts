import { isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { Service } from '../../compose/service.js';
import type { SynthesizedStack } from '../../core/synthesizer.js';
import { SWARM_SECRET_NAME_PREFIX, SWARM_STACK_FILE } from '../../swarm/swarm-stack.js';
import { DeployError } from '../errors.js';

/** One stack to deploy to a swarm: its stack file and what the deploy must prepare for it. */
export interface SwarmTarget {
  readonly projectName: string;
  /** Absolute path of docker-stack.yml (configs' `file:` paths resolve against its directory). */
  readonly stackFile: string;
  /** The stack file as synthesized. */
  readonly document: SwarmDocument;
  /** The secrets: the variable a value comes from, and the variable that names the swarm secret in the stack file. */
  readonly secrets: ReadonlyArray<{ readonly key: string; readonly variable: string; readonly nameVariable: string }>;
  /** Node labels the services' placement constraints need (`<project>.<volume>`). */
  readonly nodeLabels: readonly string[];
  /** URLs by which a person reaches each service (published ports only). */
  readonly urls: Readonly<Record<string, readonly string[]>>;
}

/** The parts of a stack file the deploy reads. */
export interface SwarmDocument {
  readonly services: Record<string, { image: string; deploy?: { mode?: string; placement?: { constraints?: string[] } }; labels?: Record<string, string> }>;
  readonly secrets?: Record<string, { name?: string; external?: boolean }>;
  readonly configs?: Record<string, { file?: string }>;
}

/** The Swarm deploy targets of synthesized stacks written (or to be written) to `outdir`. */
export function swarmTargetsFromSynthesis(stacks: readonly SynthesizedStack[], outdir: string): SwarmTarget[] {
  const root = isAbsolute(outdir) ? outdir : resolve(outdir);
  return stacks.map((s) => {
    const file = s.files.find((f) => f.path === SWARM_STACK_FILE);
    if (!file) {
      throw new DeployError(
        `stack ${s.projectName} was not synthesized for Swarm (no ${SWARM_STACK_FILE}): give its Stack { target: Target.SWARM }, or deploy it without --target swarm`,
      );
    }
    const document = parse(file.content) as SwarmDocument;
    const urls: Record<string, string[]> = {};
    for (const svc of s.stack.node.findAll().filter((c): c is Service => Service.isService(c) && c.stack === s.stack)) {
      urls[svc.serviceName] = svc.ports.map((p) => svc.hostUrl(p.containerPort)).filter((u): u is string => !!u);
    }
    return {
      projectName: s.projectName,
      stackFile: join(s.directory ? join(root, s.directory) : root, SWARM_STACK_FILE),
      document,
      secrets: secretsOf(document),
      nodeLabels: nodeLabelsOf(document),
      urls,
    };
  });
}

/** `${AIXCL_SWARM_SECRET_<VAR>:?...}` names of the stack file's secrets. */
function secretsOf(doc: SwarmDocument): SwarmTarget['secrets'] {
  const out: Array<{ key: string; variable: string; nameVariable: string }> = [];
  const pattern = new RegExp(`^\\$\\{(${SWARM_SECRET_NAME_PREFIX}([A-Za-z_][A-Za-z0-9_]*))(?::?\\?[^}]*)?\\}$`);
  for (const [key, s] of Object.entries(doc.secrets ?? {})) {
    const m = pattern.exec(s.name ?? '');
    if (m) out.push({ key, variable: m[2], nameVariable: m[1] });
  }
  return out;
}

function nodeLabelsOf(doc: SwarmDocument): string[] {
  const labels = new Set<string>();
  for (const s of Object.values(doc.services ?? {})) {
    for (const c of s.deploy?.placement?.constraints ?? []) {
      const m = /^node\.labels\.(\S+)\s*==\s*true$/.exec(c);
      if (m) labels.add(m[1]);
    }
  }
  return [...labels].sort();
}
