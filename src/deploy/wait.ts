import type Docker from 'dockerode';
import { inspectContainer } from './state.js';

/** How a wait ended. */
export type WaitOutcome =
  { readonly ok: true; readonly state: 'running' | 'healthy' | 'completed' } | { readonly ok: false; readonly reason: string; readonly interrupted?: boolean };

/** What to wait for. */
export type WaitGoal = 'running' | 'healthy' | 'completed';

/** Options of {@link waitForContainer}. */
export interface WaitOptions {
  /** Epoch ms after which waiting fails. */
  readonly deadline: number;
  /** The wait timeout as the user gave it, for the message. */
  readonly timeoutSeconds: number;
  readonly signal?: AbortSignal;
  /** Restarts before this wait: more means the container crashed and was restarted. */
  readonly restartCountBefore: number;
  /** Called when the health status changes (e.g. starting). */
  readonly onHealth?: (status: string) => void;
  /** Poll interval. @default 250 */
  readonly pollMs?: number;
}

/**
 * Waits until a container reaches a goal, polling its state: `healthy` (its
 * healthcheck passed), `running`, or `completed` (exited 0). Fails as soon as
 * it is clear the goal cannot be reached: the container exited, crashed and
 * was restarted, or was declared unhealthy; or at the deadline.
 */
export async function waitForContainer(docker: Docker, id: string, goal: WaitGoal, opts: WaitOptions): Promise<WaitOutcome> {
  let lastHealth = '';
  const poll = opts.pollMs ?? 250;
  for (;;) {
    if (opts.signal?.aborted) return { ok: false, reason: 'interrupted', interrupted: true };
    const c = await inspectContainer(docker, id);
    if (!c) return { ok: false, reason: 'the container was removed while starting' };
    const health = c.inspect.State.Health;
    if (health && health.Status !== lastHealth) {
      lastHealth = health.Status;
      opts.onHealth?.(health.Status);
    }
    if (goal === 'completed') {
      if (c.status === 'exited' || c.status === 'dead') {
        return c.exitCode === 0 ? { ok: true, state: 'completed' } : { ok: false, reason: `exited with code ${c.exitCode}` };
      }
    } else {
      if (c.status === 'exited' || c.status === 'dead') return { ok: false, reason: exitReason(c.inspect) };
      if (c.restartCount > opts.restartCountBefore || c.status === 'restarting') {
        // Once restarted, inspect no longer shows how it exited: the daemon's events do.
        const code = await lastExitCode(docker, id);
        const how = c.inspect.State.OOMKilled ? exitReason(c.inspect) : code !== undefined ? `exited with code ${code}` : 'exited';
        return { ok: false, reason: `${how} and its restart policy keeps restarting it` };
      }
      if (goal === 'running' && c.status === 'running') return { ok: true, state: 'running' };
      if (goal === 'healthy') {
        if (!health) {
          if (c.status === 'running') return { ok: false, reason: 'has no healthcheck, but a dependent waits for it to be healthy' };
        } else if (health.Status === 'healthy') {
          return { ok: true, state: 'healthy' };
        } else if (health.Status === 'unhealthy') {
          return { ok: false, reason: `unhealthy: ${lastProbe(c.inspect) ?? 'the healthcheck failed'}` };
        }
      }
    }
    if (Date.now() >= opts.deadline) {
      const what =
        goal === 'healthy' ? `not healthy after ${opts.timeoutSeconds}s (health: ${lastHealth || 'none'})` : `not ${goal} after ${opts.timeoutSeconds}s`;
      const probe = goal === 'healthy' ? lastProbe(c.inspect) : undefined;
      return { ok: false, reason: probe ? `${what}; last check: ${probe}` : what };
    }
    await sleep(poll, opts.signal);
  }
}

function exitReason(i: Docker.ContainerInspectInfo): string {
  const s = i.State;
  if (s.OOMKilled) return `was killed for using more memory than its limit (exit code ${s.ExitCode})`;
  if (s.Error) return `could not run: ${s.Error}`;
  return `exited with code ${s.ExitCode}`;
}

/** The exit code of the container's last `die` event, from the daemon's event log. */
export async function lastExitCode(docker: Docker, id: string): Promise<number | undefined> {
  try {
    const now = Math.floor(Date.now() / 1000) + 1;
    const stream = (await docker.getEvents({ since: now - 3600, until: now, filters: { container: [id], event: ['die'] } })) as NodeJS.ReadableStream;
    let text = '';
    for await (const chunk of stream) text += String(chunk);
    const codes = text
      .split('\n')
      .filter(Boolean)
      .map((l) => Number((JSON.parse(l) as { Actor?: { Attributes?: { exitCode?: string } } }).Actor?.Attributes?.exitCode));
    const last = codes[codes.length - 1];
    return Number.isFinite(last) ? last : undefined;
  } catch {
    return undefined;
  }
}

/** The output of the last failed healthcheck probe, on one line. */
export function lastProbe(i: Docker.ContainerInspectInfo): string | undefined {
  const log = i.State.Health?.Log ?? [];
  const last = log[log.length - 1];
  if (!last) return undefined;
  const out = String(last.Output ?? '')
    .trim()
    .replace(/\s+/g, ' ')
    .slice(0, 300);
  return `exit ${last.ExitCode}${out ? `: ${out}` : ''}`;
}

/** Sleeps, waking early when aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
