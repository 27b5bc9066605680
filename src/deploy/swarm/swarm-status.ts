import { connectEngine, type Engine, type EngineOptions } from '../engine.js';
import { isConverged, readSwarmStack } from './swarm-state.js';

/** The state of one service of a stack on a swarm. */
export interface SwarmServiceStatus {
  readonly service: string;
  readonly mode: 'replicated' | 'global';
  /** `converged` (every task runs the current spec, healthy where it has a healthcheck), `updating`, `starting`, or `missing`. */
  readonly state: string;
  readonly running: number;
  readonly desired: number;
  readonly image?: string;
  /** The last task failure, if any task of it failed. */
  readonly lastError?: string;
  readonly urls: readonly string[];
}

/** Per service of a stack: mode, tasks running against desired, state, URLs. */
export async function swarmStatus(
  project: string,
  opts: { engine?: Engine | EngineOptions; services?: readonly string[]; urls?: Readonly<Record<string, readonly string[]>> } = {},
): Promise<SwarmServiceStatus[]> {
  const engine = opts.engine && 'docker' in opts.engine ? opts.engine : await connectEngine(opts.engine as EngineOptions | undefined);
  const states = await readSwarmStack(engine.docker, project);
  const names = [...new Set([...(opts.services ?? []), ...states.map((s) => s.service)])].sort();
  return names.map((service) => {
    const s = states.find((x) => x.service === service);
    if (!s) return { service, mode: 'replicated', state: 'missing', running: 0, desired: 0, urls: opts.urls?.[service] ?? [] };
    const state = isConverged(s) ? 'converged' : s.outdated > 0 ? 'updating' : 'starting';
    return {
      service,
      mode: s.mode,
      state,
      running: s.current,
      desired: s.desired,
      image: s.image,
      ...(s.failures[0] ? { lastError: `${s.failures[0].state}: ${s.failures[0].message}` } : {}),
      urls: opts.urls?.[service] ?? [],
    };
  });
}

/** A table of {@link swarmStatus} rows. */
export function formatSwarmStatus(rows: readonly SwarmServiceStatus[]): string {
  const head = ['SERVICE', 'MODE', 'TASKS', 'STATE', 'URL'];
  const cells = rows.map((r) => [
    r.service,
    r.mode,
    `${r.running}/${r.desired}`,
    r.state + (r.lastError && r.state !== 'converged' ? ` (${r.lastError})` : ''),
    r.urls.join(' ') || '-',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  return (
    [head, ...cells]
      .map((c) =>
        c
          .map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i])))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
