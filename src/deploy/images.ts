import type Docker from 'dockerode';
import { DeployError } from './errors.js';
import { describeDockerError, isNotFound } from './engine.js';
import type { EventSink } from './events.js';

/** When to pull images. */
export type PullPolicy = 'missing' | 'always' | 'never';

/** An image the stack needs. */
export interface ImageNeed {
  readonly ref: string;
  /** A service's own `pull_policy`, which wins over the run's. */
  readonly policy?: PullPolicy;
}

/** What was found (or pulled) for an image. */
export interface ResolvedImage {
  readonly ref: string;
  /** Image ID, or undefined when a dry run found it missing. */
  readonly id?: string;
  /** Pulled by this run (or, in a dry run, would be). */
  readonly pulled: boolean;
}

/** `name` means `name:latest` to Docker. */
export function normalizeImageRef(ref: string): string {
  if (ref.includes('@')) return ref;
  const slash = ref.lastIndexOf('/');
  return ref.lastIndexOf(':') > slash ? ref : `${ref}:latest`;
}

/**
 * Makes every image the stack needs present: inspects them, pulls what the
 * policy says (in parallel, with progress events). Every image is tried
 * before failing, so one error lists all the images that are missing.
 * A dry run pulls nothing and reports what it would pull.
 * @throws DeployError naming each image that is neither present nor pullable
 */
export async function resolveImages(
  docker: Docker,
  needs: readonly ImageNeed[],
  opts: { policy: PullPolicy; dryRun?: boolean; events: EventSink; signal?: AbortSignal },
): Promise<Map<string, ResolvedImage>> {
  const byRef = new Map<string, PullPolicy>();
  for (const n of needs) {
    const policy = n.policy ?? opts.policy;
    const prev = byRef.get(n.ref);
    byRef.set(n.ref, prev === 'always' || policy === 'always' ? 'always' : prev === 'missing' || policy === 'missing' ? 'missing' : policy);
  }
  const problems: string[] = [];
  const result = new Map<string, ResolvedImage>();
  const local = new Map(await Promise.all([...byRef.keys()].map(async (ref) => [ref, await imageId(docker, ref)] as const)));
  const toPull = [...byRef].filter(([ref, policy]) => policy !== 'never' && (policy === 'always' || !local.get(ref))).map(([ref]) => ref);
  if (toPull.length && !opts.dryRun) opts.events({ type: 'pulls', images: toPull.sort() });
  await Promise.all(
    [...byRef].map(async ([ref, policy]) => {
      const localId = local.get(ref);
      if (localId && policy !== 'always') {
        opts.events({ type: 'image', image: ref, state: 'present' });
        result.set(ref, { ref, id: localId, pulled: false });
        return;
      }
      if (policy === 'never') {
        problems.push(`image ${ref} is not present locally and --pull never forbids pulling it: build or load it (docker load / docker tag), or allow pulling`);
        return;
      }
      if (opts.dryRun) {
        result.set(ref, { ref, ...(localId ? { id: localId } : {}), pulled: true });
        return;
      }
      try {
        await pull(docker, ref, opts.events, opts.signal);
        const id = await imageId(docker, ref);
        if (!id) throw new Error('the pull finished but the image is still not there');
        opts.events({ type: 'image', image: ref, state: 'pulled' });
        result.set(ref, { ref, id, pulled: true });
      } catch (e) {
        const why = describeDockerError(e);
        opts.events({ type: 'image', image: ref, state: 'failed', message: why });
        problems.push(
          localId ? `image ${ref} could not be pulled (--pull always): ${why}` : `image ${ref} is not present locally and could not be pulled: ${why}`,
        );
      }
    }),
  );
  if (problems.length) {
    throw new DeployError(
      `${problems.length === 1 ? 'an image is' : `${problems.length} images are`} not available; nothing was changed:\n${problems
        .sort()
        .map((p) => `  ${p}`)
        .join('\n')}`,
    );
  }
  return result;
}

async function imageId(docker: Docker, ref: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(ref).inspect()).Id;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

async function pull(docker: Docker, ref: string, events: EventSink, signal?: AbortSignal): Promise<void> {
  events({ type: 'image', image: ref, state: 'pulling' });
  const stream = (await docker.pull(ref, {})) as NodeJS.ReadableStream & { destroy?: () => void };
  const onAbort = () => stream.destroy?.();
  signal?.addEventListener('abort', onAbort, { once: true });
  const layers = new Map<string, { current: number; total: number }>();
  let last = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (err: Error | null) => (err ? reject(err) : resolve()),
        (e: { id?: string; status?: string; error?: string; errorDetail?: { message?: string }; progressDetail?: { current?: number; total?: number } }) => {
          if (e.error || e.errorDetail) {
            reject(new Error(e.errorDetail?.message ?? e.error));
            return;
          }
          if (e.id && e.progressDetail?.total) {
            layers.set(e.id, { current: e.progressDetail.current ?? 0, total: e.progressDetail.total });
            const now = Date.now();
            if (now - last > 200) {
              last = now;
              let current = 0;
              let total = 0;
              for (const l of layers.values()) {
                current += l.current;
                total += l.total;
              }
              events({ type: 'image', image: ref, state: 'pulling', current, total });
            }
          }
        },
      );
    });
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (signal?.aborted) throw new DeployError('interrupted while pulling');
}
