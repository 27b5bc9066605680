import { Listr, ListrLogger, ProcessOutput, type ListrTaskWrapper } from 'listr2';
import type { DeployEvent, EventSink, ServiceState } from './events.js';
import { styleFor } from './style.js';

/** How progress is shown. */
export type ProgressMode = 'auto' | 'tty' | 'plain' | 'json';

/** A progress display: feed it events, then wait for it to finish drawing. */
export interface Progress {
  readonly sink: EventSink;
  /** Finishes the display (live lines are settled). */
  done(): Promise<void>;
  /** The mode actually used. */
  readonly mode: Exclude<ProgressMode, 'auto'>;
}

/** Where progress goes. */
export interface ProgressStreams {
  /** Machine-readable events (`json`). @default process.stdout */
  readonly stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Human progress (`tty`, `plain`). @default process.stderr */
  readonly stderr?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * The progress display for a mode. `auto` is live lines on a terminal and
 * plain lines in CI (the `CI` variable) or when output is not a terminal.
 */
export function createProgress(mode: ProgressMode, streams: ProgressStreams = {}): Progress {
  const stdout = streams.stdout ?? process.stdout;
  const stderr = streams.stderr ?? process.stderr;
  const env = streams.env ?? process.env;
  const resolved = mode === 'auto' ? (stderr.isTTY && !env.CI ? 'tty' : 'plain') : mode;
  if (resolved === 'json') return jsonProgress(stdout);
  if (resolved === 'plain') return plainProgress(stderr, env);
  return ttyProgress(stderr as NodeJS.WriteStream, env);
}

function jsonProgress(out: NodeJS.WritableStream): Progress {
  const t0 = Date.now();
  return {
    mode: 'json',
    sink: (e) => out.write(`${JSON.stringify({ event: e.type, ...omitType(e), t: Date.now() - t0 })}\n`),
    done: async () => {},
  };
}

function omitType(e: DeployEvent): Record<string, unknown> {
  const { type: _t, ...rest } = e;
  return rest;
}

/** One line per event, with the time since start: for CI logs and pipes. */
function plainProgress(out: NodeJS.WritableStream & { isTTY?: boolean }, env: NodeJS.ProcessEnv): Progress {
  const t0 = Date.now();
  const st = styleFor(out, env);
  const pulled = new Map<string, number>();
  const line = (s: string) => out.write(`${st.dim(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s]`)} ${s}\n`);
  return {
    mode: 'plain',
    sink: (e) => {
      switch (e.type) {
        case 'stage':
          line(e.message);
          break;
        case 'image': {
          if (e.state === 'present') break;
          if (e.state === 'pulling' && e.total) {
            const pct = Math.floor((100 * (e.current ?? 0)) / e.total / 10) * 10;
            if ((pulled.get(e.image) ?? -1) >= pct) break;
            pulled.set(e.image, pct);
            line(`${e.image}: pulling ${pct}% of ${(e.total / 1e6).toFixed(1)} MB`);
          } else line(`${e.image}: ${e.state}${e.message ? ` (${e.message})` : ''}`);
          break;
        }
        case 'pulls':
          line(`pulling ${e.images.join(', ')}`);
          break;
        case 'apply':
          break;
        case 'service':
          line(`${e.service.padEnd(20)} ${paint(st, e.state)(e.state)}${e.message ? ` ${e.message}` : ''}`);
          break;
        case 'resource':
          line(`${e.kind} ${e.name} ${e.action}`);
          break;
        case 'warning':
          line(`${st.yellow('warning:')} ${e.message}`);
          break;
      }
    },
    done: async () => {},
  };
}

function paint(st: ReturnType<typeof styleFor>, state: ServiceState): (s: string) => string {
  if (state === 'healthy' || state === 'running' || state === 'completed') return st.green;
  if (state === 'failed' || state === 'blocked') return st.red;
  return (s) => s;
}

const WORDS: Record<ServiceState, string> = {
  waiting: 'waiting',
  creating: 'creating',
  recreating: 'recreating',
  starting: 'starting',
  'waiting-health': 'waiting for health',
  healthy: 'healthy',
  running: 'running',
  completed: 'completed',
  failed: 'failed',
  blocked: 'blocked',
  stopping: 'stopping',
  removed: 'removed',
};

type Handle = { task?: ListrTaskWrapper<unknown, never, never>; finish?: (err?: Error) => void; last?: string; done: boolean; error?: Error };

/** Live lines on a terminal: one per service, updated in place (listr2). */
function ttyProgress(out: NodeJS.WriteStream, env: NodeJS.ProcessEnv): Progress {
  const plain = plainProgress(out, env);
  const handles = new Map<string, Handle>();
  let running: Promise<unknown> | undefined;
  let pulling: Promise<unknown> | undefined;
  let imageHandles: { pulls: Map<string, Handle>; width: number } | undefined;
  let width = 0;
  const title = (service: string, state: ServiceState, message?: string) => {
    const text = `${service.padEnd(width)}  ${WORDS[state]}${message ? ` ${message}` : ''}`;
    const max = (out.columns || 100) - 6;
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
  };
  const apply = (h: Handle, service: string, state: ServiceState, message?: string) => {
    if (h.done) return;
    h.last = title(service, state, message);
    if (!h.task) {
      if (['healthy', 'running', 'completed', 'removed'].includes(state)) h.done = true;
      if (state === 'failed' || state === 'blocked') Object.assign(h, { done: true, error: new Error(h.last) });
      return;
    }
    h.task.title = h.last;
    if (state === 'healthy' || state === 'running' || state === 'completed' || state === 'removed') {
      h.done = true;
      h.finish?.();
    } else if (state === 'failed' || state === 'blocked') {
      h.done = true;
      h.error = new Error(h.last);
      h.finish?.(h.error);
    }
  };
  return {
    mode: 'tty',
    sink: (e) => {
      if (e.type === 'pulls') {
        // A live line per image while pulling; settled before the service lines start.
        const pulls = new Map<string, Handle>();
        const w = Math.max(...e.images.map((i) => i.length));
        const list = new Listr(
          e.images.map((image) => ({
            title: `${image.padEnd(w)}  pulling`,
            task: (_: unknown, task: ListrTaskWrapper<unknown, never, never>) =>
              new Promise<void>((resolve, reject) => {
                const h = pulls.get(image) ?? { done: false };
                Object.assign(h, { task, finish: (err?: Error) => (err ? reject(err) : resolve()) });
                pulls.set(image, h);
                if (h.last) task.title = h.last;
                if (h.done) h.finish!(h.error);
              }),
          })),
          listrOptions(out) as never,
        );
        pulling = list.run().catch(() => {});
        imageHandles = { pulls, width: w };
        return;
      }
      if (e.type === 'image' && imageHandles) {
        const h = imageHandles.pulls.get(e.image) ?? { done: false };
        imageHandles.pulls.set(e.image, h);
        if (h.done) return;
        const pct = e.total ? ` ${Math.floor((100 * (e.current ?? 0)) / e.total)}% of ${(e.total / 1e6).toFixed(1)} MB` : '';
        h.last = `${e.image.padEnd(imageHandles.width)}  ${e.state}${pct}${e.message ? ` ${e.message}` : ''}`;
        if (h.task) h.task.title = h.last;
        if (e.state === 'pulled' || e.state === 'failed') {
          h.done = true;
          if (e.state === 'failed') h.error = new Error(h.last);
          h.finish?.(h.error);
        }
        return;
      }
      if (e.type === 'apply') {
        width = Math.max(...e.services.map((s) => s.length), 8);
        const makeList = () =>
          new Listr(
            e.services.map((service) => ({
              title: title(service, 'waiting'),
              task: (_: unknown, task: ListrTaskWrapper<unknown, never, never>) =>
                new Promise<void>((resolve, reject) => {
                  const h = handles.get(service) ?? { done: false };
                  h.task = task;
                  h.finish = (err) => (err ? reject(err) : resolve());
                  handles.set(service, h);
                  if (h.last) task.title = h.last;
                  if (h.done) h.finish(h.error);
                }),
            })),
            listrOptions(out) as never,
          );
        // The service lines start once the image lines are settled (two live lists would fight over the screen).
        running = (pulling ?? Promise.resolve()).then(() => makeList().run()).catch(() => {});
        return;
      }
      if (e.type === 'service' && running) {
        const h = handles.get(e.service) ?? { done: false };
        handles.set(e.service, h);
        apply(h, e.service, e.state, e.message);
        return;
      }
      if (e.type === 'service' || e.type === 'resource') {
        plain.sink(e);
        return;
      }
      if (!running) plain.sink(e);
    },
    done: async () => {
      // Settle lines whose service never reached an end state (e.g. interrupted).
      for (const h of [...handles.values(), ...(imageHandles?.pulls.values() ?? [])]) {
        if (!h.done) {
          h.done = true;
          h.finish?.(new Error(`${h.last ?? ''} (stopped)`));
        }
      }
      await pulling;
      await running;
    },
  };
}

function listrOptions(out: NodeJS.WriteStream): object {
  return {
    concurrent: true,
    exitOnError: false,
    registerSignalListeners: false,
    rendererOptions: {
      collapseErrors: false,
      showErrorMessage: false,
      formatOutput: 'truncate',
      // Progress goes to stderr, the report to stdout.
      logger: new ListrLogger({ useIcons: true, processOutput: new ProcessOutput(out, out) }),
    },
  };
}
