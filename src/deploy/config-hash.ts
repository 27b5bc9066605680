import { createHash } from 'node:crypto';
import type { ServiceModel } from './project.js';

/** Deterministic JSON: object keys sorted at every level. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/**
 * The service's config hash: over its interpolated definition (paths
 * resolved) and the content of every generated file it mounts, so a changed
 * config file changes the hash even where Compose would not notice.
 */
export function serviceConfigHash(s: ServiceModel): string {
  return sha256(canonicalJson({ definition: s.definition, files: s.mountedFiles }));
}

/** Keys of the settings whose values are recorded one entry at a time (to name the variable that changed). */
const PER_ENTRY = new Set(['environment', 'labels']);
const FILE_PREFIX = 'file:';

/**
 * A short fingerprint of each setting of the service, recorded on its
 * container so a later run can say which setting or generated file changed.
 * Values are hashed, so no secret is copied into a label.
 */
export function settingFingerprints(s: ServiceModel): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.definition)) {
    if (PER_ENTRY.has(k) && v && typeof v === 'object') {
      const entries = Array.isArray(v) ? v.map((e) => String(e).split(/=(.*)/s, 2) as [string, string]) : Object.entries(v);
      for (const [name, value] of entries) out[`${k}.${name}`] = short(canonicalJson(value ?? ''));
    } else {
      out[k] = short(canonicalJson(v));
    }
  }
  for (const f of s.mountedFiles) out[`${FILE_PREFIX}${f.path}`] = f.sha256.slice(0, 12);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function short(s: string): string {
  return sha256(s).slice(0, 12);
}

/**
 * What differs between the recorded fingerprints and the wanted ones, in
 * words: `generated file loki/loki-config.yml changed`, `environment
 * GF_LOG_LEVEL added`, `image changed`...
 */
export function describeChanges(before: Record<string, string>, after: Record<string, string>): string[] {
  const changed: string[] = [];
  const files: string[] = [];
  for (const k of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    if (before[k] === after[k]) continue;
    const how = before[k] === undefined ? 'added' : after[k] === undefined ? 'removed' : 'changed';
    if (k.startsWith(FILE_PREFIX)) files.push(`generated file ${k.slice(FILE_PREFIX.length)} ${how}`);
    else {
      const dot = k.indexOf('.');
      const head = dot > 0 ? k.slice(0, dot) : k;
      changed.push(PER_ENTRY.has(head) ? `${head} ${k.slice(dot + 1)} ${how}` : `${k} ${how}`);
    }
  }
  // The config-hash label only mirrors the files: name the files instead.
  return [...files, ...changed.filter((c) => !(files.length && c.startsWith('labels dev.aixcl.config-hash')))];
}
