import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_HASH_LABEL } from '../compose/service.js';
import type { ComposeService } from './compose-project.js';

/** Name of the file, in the output directory, that records what aixcl-deploy last deployed there. */
export const DEPLOY_RECORD_FILE = '.aixcl-deploy-record.json';

/** What aixcl-deploy deployed of one service. */
export interface DeployedService {
  /** Compose's config hash at that deploy. */
  readonly configHash: string;
  /** The container it left (only containers recorded here are removed as orphans). */
  readonly containerId?: string;
  /** A keyed fingerprint of each setting, to say WHAT changed next time ({@link settingFingerprints}). */
  readonly settings: Readonly<Record<string, string>>;
}

/** What aixcl-deploy last deployed from an output directory. */
export interface DeployRecord {
  readonly project: string;
  readonly services: Readonly<Record<string, DeployedService>>;
  /** Networks it saw created for the project (removed once no longer in the stack). */
  readonly networks: readonly string[];
}

/** The record of `dir` for `project`; an empty one when there is none (or it is unreadable, or another project's). */
export function loadDeployRecord(dir: string, project: string): DeployRecord {
  try {
    const r = JSON.parse(readFileSync(join(dir, DEPLOY_RECORD_FILE), 'utf8')) as DeployRecord;
    if (r && r.project === project && r.services && typeof r.services === 'object')
      return { project, services: r.services, networks: Array.isArray(r.networks) ? r.networks : [] };
  } catch {
    // none yet, or not ours: everything counts as not deployed by this tool
  }
  return { project, services: {}, networks: [] };
}

/** Writes the record, readable by the owner only (the fingerprints are keyed, but need not be shared). */
export function saveDeployRecord(dir: string, record: DeployRecord): void {
  writeFileSync(join(dir, DEPLOY_RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
}

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

/** Keys of the settings whose values are recorded one entry at a time (to name the variable that changed). */
const PER_ENTRY = new Set(['environment', 'labels']);
const FILE_PREFIX = 'file:';
/** The label that mirrors the generated files: they are fingerprinted one by one instead. */
const MIRRORED_LABEL = `labels.${CONFIG_HASH_LABEL}`;

/**
 * A short fingerprint of each setting of the normalized service (and of each
 * generated file it mounts), recorded in the output directory so a later run
 * can say which setting changed. Every value is fingerprinted with an HMAC
 * under the deploy key (values may be secrets from `${VAR}` references), so
 * nothing recorded can be checked against a guess without the key.
 */
export function settingFingerprints(s: ComposeService, key: Uint8Array): Record<string, string> {
  const mac = (v: unknown) => createHmac('sha256', key).update(canonicalJson(v)).digest('hex').slice(0, 12);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.config)) {
    if (PER_ENTRY.has(k) && v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [name, value] of Object.entries(v)) if (`${k}.${name}` !== MIRRORED_LABEL) out[`${k}.${name}`] = mac(value ?? '');
    } else {
      out[k] = mac(v);
    }
  }
  for (const f of s.mountedFiles) out[`${FILE_PREFIX}${f.path}`] = f.sha256.slice(0, 12);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Options of {@link describeChanges}. */
export interface DescribeOptions {
  /** Settings whose value came from a `${VAR}` reference, e.g. `environment.WEB_PASSWORD` (named as such). */
  readonly fromVariables?: ReadonlySet<string>;
  /** Settings not to compare (their variables are not set in a preview). */
  readonly skip?: ReadonlySet<string>;
}

/**
 * What differs between the recorded fingerprints and the wanted ones, in
 * words: `generated file loki/loki-config.yml changed`, `environment
 * GF_LOG_LEVEL added`, `image changed`, `a value from a ${VAR} reference
 * changed (environment WEB_PASSWORD)`.
 */
export function describeChanges(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>, opts: DescribeOptions = {}): string[] {
  const changed: string[] = [];
  const files: string[] = [];
  for (const k of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    if (before[k] === after[k] || k === MIRRORED_LABEL || opts.skip?.has(k)) continue;
    const how = before[k] === undefined ? 'added' : after[k] === undefined ? 'removed' : 'changed';
    const dot = k.indexOf('.');
    const head = dot > 0 ? k.slice(0, dot) : k;
    const words = PER_ENTRY.has(head) ? `${head} ${k.slice(dot + 1)}` : k;
    if (k.startsWith(FILE_PREFIX)) files.push(`generated file ${k.slice(FILE_PREFIX.length)} ${how}`);
    else if (how === 'changed' && opts.fromVariables?.has(k)) changed.push(`a value from a \${VAR} reference changed (${words})`);
    else changed.push(`${words} ${how}`);
  }
  return [...files, ...changed];
}
