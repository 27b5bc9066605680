import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeployError } from './errors.js';

/** Name of the file, in the output directory, that holds the key of the fingerprints of `${VAR}` values. */
export const DEPLOY_KEY_FILE = '.aixcl-deploy-key';

/**
 * The key that values from `${VAR}` references (secrets) are fingerprinted
 * with (HMAC-SHA256). It is kept in a file only the owner can read, never in
 * a label, so a fingerprint in a label cannot be reversed by trying
 * passwords from a dictionary.
 */
export interface DeployKey {
  readonly key: Uint8Array;
  /** The file did not exist (or was unreadable as a key): a fresh key, so recorded fingerprints cannot match. */
  readonly isNew: boolean;
  /** Where it is (or will be) stored. */
  readonly file: string;
}

/**
 * Reads the key of the output directory `dir`, or makes a fresh one (not
 * written yet: see {@link saveDeployKey}).
 * @throws DeployError when the file exists but cannot be read
 */
export function loadDeployKey(dir: string): DeployKey {
  const file = join(dir, DEPLOY_KEY_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { key: randomBytes(32), isNew: true, file };
    throw new DeployError(
      `cannot read ${file} (${code ?? String(e)}): make it readable, or delete it (values from \${VAR} references then count as changed once)`,
    );
  }
  // Anything else than the 64 hex digits this tool writes is replaced.
  if (!/^[0-9a-f]{64}$/.test(text)) return { key: randomBytes(32), isNew: true, file };
  return { key: Buffer.from(text, 'hex'), isNew: false, file };
}

/** Writes a new key to its file, readable by the owner only (0600); an existing key is left alone. */
export function saveDeployKey(k: DeployKey): void {
  if (!k.isNew) return;
  mkdirSync(join(k.file, '..'), { recursive: true });
  writeFileSync(k.file, `${Buffer.from(k.key).toString('hex')}\n`, { mode: 0o600 });
  // The mode above only applies to a new file (and through the umask).
  chmodSync(k.file, 0o600);
}
