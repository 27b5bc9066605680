import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MANIFEST_FILE, type Manifest, type SynthesizedStack } from '../core/synthesizer.js';
import { DeployError } from './errors.js';

/** What {@link syncOutput} did, paths relative to the output directory. */
export interface SyncResult {
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  readonly removed: readonly string[];
}

/**
 * Brings the output directory up to date file by file: a file whose content
 * is unchanged is not touched, a changed one is replaced atomically (write
 * beside, rename over), a file the previous synthesis wrote and this one
 * does not is removed, and the manifest goes last.
 *
 * Why not replace the whole directory: running containers bind-mount
 * directories of it (Grafana's provisioning). Swapping the directory would
 * leave them looking at a deleted one while their config has not changed,
 * so they would not be recreated. Updating in place keeps their mounts live.
 */
export function syncOutput(outdir: string, stacks: readonly SynthesizedStack[]): SyncResult {
  const target = resolve(outdir);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new DeployError(`the output path ${outdir} is a file: give a directory with --out`);
    const entries = readdirSync(target).filter((e) => !e.startsWith('.aixcl-tmp-'));
    const ours = entries.length === 0 || entries.includes(MANIFEST_FILE) || entries.every((e) => existsSync(join(target, e, MANIFEST_FILE)));
    if (!ours) {
      throw new DeployError(`the output directory ${outdir} holds files that aixcl-cdk did not write (no ${MANIFEST_FILE}): choose another --out or empty it`);
    }
  }
  const written: string[] = [];
  const unchanged: string[] = [];
  const removed: string[] = [];
  for (const s of stacks) {
    const dir = s.directory ? join(target, s.directory) : target;
    const previous = readManifest(join(dir, MANIFEST_FILE));
    const next = new Set(s.files.map((f) => f.path));
    for (const f of s.files) {
      const rel = s.directory ? `${s.directory}/${f.path}` : f.path;
      const abs = join(dir, f.path);
      if (existsSync(abs) && sha256(readFileSync(abs)) === f.sha256) {
        unchanged.push(rel);
        continue;
      }
      mkdirSync(dirname(abs), { recursive: true });
      const tmp = join(dirname(abs), `.aixcl-tmp-${process.pid}-${f.path.split('/').pop()}`);
      writeFileSync(tmp, f.content);
      renameSync(tmp, abs);
      written.push(rel);
    }
    for (const old of previous?.files ?? []) {
      if (next.has(old.path)) continue;
      const abs = join(dir, old.path);
      if (existsSync(abs)) {
        unlinkSync(abs);
        removed.push(s.directory ? `${s.directory}/${old.path}` : old.path);
        pruneEmptyDirs(dirname(abs), dir);
      }
    }
  }
  return { written, unchanged, removed };
}

function readManifest(path: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

function pruneEmptyDirs(from: string, stop: string): void {
  let d = from;
  while (d.startsWith(stop) && d !== stop && readdirSync(d).length === 0) {
    rmdirSync(d);
    d = dirname(d);
  }
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}
