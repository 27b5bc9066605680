import { createHash, createHmac } from 'node:crypto';
import { CONFIG_HASH_LABEL } from '../compose/service.js';
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
 * What a value from a `${VAR}` reference is replaced with before hashing,
 * and what its setting records instead of a fingerprint.
 */
export const INTERPOLATED_MARK = '${}';
/** The setting that records the keyed fingerprint of all of a service's `${VAR}` values together. */
export const INTERPOLATED_SETTING = '${}values';

/**
 * The service's definition with every value from a `${VAR}` reference
 * replaced by {@link INTERPOLATED_MARK}, and those values (path, value).
 */
function redact(s: ServiceModel): { definition: Record<string, unknown>; values: Array<[string, string]> } {
  const paths = new Set(s.interpolated);
  const values: Array<[string, string]> = [];
  const walk = (v: unknown, path: string): unknown => {
    if (typeof v === 'string' && paths.has(path)) {
      values.push([path, v]);
      // A `- NAME=value` entry keeps its name, to say which variable it is.
      const named = /^(environment|labels)\[\d+\]$/.test(path) ? /^([^=]+)=/.exec(v) : null;
      return named ? `${named[1]}=${INTERPOLATED_MARK}` : INTERPOLATED_MARK;
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${path}[${i}]`));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, path ? `${path}.${k}` : k)]));
    return v;
  };
  const definition = walk(s.definition, '') as Record<string, unknown>;
  return { definition, values: values.sort(([a], [b]) => (a < b ? -1 : 1)) };
}

/** HMAC of the `${VAR}` values under the deploy key; undefined when there are none. */
function keyedFingerprint(values: ReadonlyArray<[string, string]>, key: Uint8Array): string | undefined {
  return values.length ? createHmac('sha256', key).update(canonicalJson(values)).digest('hex') : undefined;
}

/**
 * The service's config hash: over its interpolated definition (paths
 * resolved) and the content of every generated file it mounts, so a changed
 * config file changes the hash even where Compose would not notice. Values
 * from `${VAR}` references (secrets) enter it only through an HMAC under
 * `key`, so the hash, which is in a label, cannot be checked against a guess.
 */
export function serviceConfigHash(s: ServiceModel, key: Uint8Array): string {
  const { definition, values } = redact(s);
  return sha256(canonicalJson({ definition, files: s.mountedFiles, interpolated: keyedFingerprint(values, key) }));
}

/** Keys of the settings whose values are recorded one entry at a time (to name the variable that changed). */
const PER_ENTRY = new Set(['environment', 'labels']);
const FILE_PREFIX = 'file:';
/** The label that mirrors the generated files: they are fingerprinted one by one instead. */
const MIRRORED_LABEL = `labels.${CONFIG_HASH_LABEL}`;

/**
 * A short fingerprint of each setting of the service, recorded on its
 * container so a later run can say which setting or generated file changed.
 * Values from `${VAR}` references (secrets) get no fingerprint of their
 * own: they are recorded as {@link INTERPOLATED_MARK}, and all of them
 * together as one HMAC under `key` ({@link INTERPOLATED_SETTING}). Nothing
 * in the result can be checked against a guessed secret without the key.
 */
export function settingFingerprints(s: ServiceModel, key: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  const { definition, values } = redact(s);
  for (const [k, v] of Object.entries(definition)) {
    if (PER_ENTRY.has(k) && v && typeof v === 'object') {
      const entries = Array.isArray(v) ? v.map((e) => String(e).split(/=(.*)/s, 2) as [string, string]) : Object.entries(v);
      for (const [name, value] of entries) {
        const id = `${k}.${name}`;
        if (id === MIRRORED_LABEL) continue;
        out[id] = value === INTERPOLATED_MARK ? INTERPOLATED_MARK : short(canonicalJson(value ?? ''));
      }
    } else {
      out[k] = short(canonicalJson(v));
    }
  }
  for (const f of s.mountedFiles) out[`${FILE_PREFIX}${f.path}`] = f.sha256.slice(0, 12);
  const keyed = keyedFingerprint(values, key);
  if (keyed) out[INTERPOLATED_SETTING] = keyed.slice(0, 12);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function short(s: string): string {
  return sha256(s).slice(0, 12);
}

/** Options of {@link describeChanges}. */
export interface DescribeOptions {
  /** The deploy key was just made: the recorded `${VAR}` fingerprint cannot match. @default false */
  readonly keyIsNew?: boolean;
}

/**
 * What differs between the recorded fingerprints and the wanted ones, in
 * words: `generated file loki/loki-config.yml changed`, `environment
 * GF_LOG_LEVEL added`, `image changed`, `a value from a ${VAR} reference
 * changed (environment GF_SECURITY_ADMIN_PASSWORD)`...
 */
export function describeChanges(before: Record<string, string>, after: Record<string, string>, opts: DescribeOptions = {}): string[] {
  const changed: string[] = [];
  const files: string[] = [];
  let interpolated: string | undefined;
  for (const k of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    if (before[k] === after[k] || k === MIRRORED_LABEL) continue;
    const how = before[k] === undefined ? 'added' : after[k] === undefined ? 'removed' : 'changed';
    if (k === INTERPOLATED_SETTING) {
      // Added or removed: the variables themselves are named as added or removed.
      if (how === 'changed') interpolated = interpolatedChange(after, !!opts.keyIsNew);
    } else if (k.startsWith(FILE_PREFIX)) files.push(`generated file ${k.slice(FILE_PREFIX.length)} ${how}`);
    else {
      const dot = k.indexOf('.');
      const head = dot > 0 ? k.slice(0, dot) : k;
      changed.push(PER_ENTRY.has(head) ? `${head} ${k.slice(dot + 1)} ${how}` : `${k} ${how}`);
    }
  }
  return [...files, ...changed, ...(interpolated ? [interpolated] : [])];
}

/** The words for a changed keyed fingerprint: which values it covers (not which one changed: that is not recorded). */
function interpolatedChange(after: Record<string, string>, keyIsNew: boolean): string {
  const names = Object.keys(after)
    .filter((k) => after[k] === INTERPOLATED_MARK)
    .map((k) => k.replace('.', ' '));
  const which = names.length === 0 ? '' : names.length === 1 ? ` (${names[0]})` : ` (one of: ${names.join(', ')})`;
  if (keyIsNew) return `values from \${VAR} references${which.replace(' (one of: ', ' (')} cannot be compared with the recorded ones: the key in the output directory is new, so they count as changed once`;
  return `a value from a \${VAR} reference changed${which}`;
}
