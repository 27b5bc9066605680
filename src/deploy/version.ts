import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The `version` of a package.json (by default this package's own: two
 * levels up from src/deploy or dist/deploy), so the version recorded on
 * what aixcl-deploy creates is the one that is installed.
 */
export function readToolVersion(packageJson: URL | string = new URL('../../package.json', import.meta.url)): string {
  const path = packageJson instanceof URL ? fileURLToPath(packageJson) : packageJson;
  const version = (JSON.parse(readFileSync(path, 'utf8')) as { version?: unknown }).version;
  if (typeof version !== 'string' || !version) throw new Error(`${path} has no version`);
  return version;
}

/** Version of this tool, recorded (`dev.aixcl.deploy.version`) on the containers and networks it creates. */
export const TOOL_VERSION = readToolVersion();
