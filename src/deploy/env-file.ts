import { existsSync, readFileSync } from 'node:fs';
import { DeployError } from './errors.js';
import { interpolateString, Variables } from './interpolate.js';

/**
 * Reads a `.env` file the way Compose does: `KEY=VALUE` lines, `#` comments,
 * an optional `export ` prefix, single quotes literal, double quotes with
 * `\n`-style escapes, `${VAR}` references expanded (from the environment and
 * earlier lines). A missing file is an empty set.
 */
export function readEnvFile(path: string, environment: Variables = {}): Record<string, string> {
  if (!existsSync(path)) return {};
  return parseEnvFile(readFileSync(path, 'utf8'), environment, path);
}

/** Parses the text of a `.env` file (see {@link readEnvFile}). */
export function parseEnvFile(text: string, environment: Variables = {}, shownAs = '.env'): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new DeployError(`line ${n + 1} of ${shownAs} is not KEY=VALUE: '${line}'`);
    const [, key, raw] = m;
    // The environment wins over the file (as in Compose), and earlier lines are visible to later ones.
    const vars = { ...out, ...environment };
    let value: string;
    if (raw.startsWith("'")) {
      const end = raw.indexOf("'", 1);
      if (end < 0) throw new DeployError(`line ${n + 1} of ${shownAs} has an unterminated ' quote`);
      value = raw.slice(1, end);
    } else if (raw.startsWith('"')) {
      let i = 1;
      let s = '';
      for (; i < raw.length && raw[i] !== '"'; i++) {
        if (raw[i] === '\\' && i + 1 < raw.length) {
          const e = raw[++i];
          s += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
        } else s += raw[i];
      }
      if (i >= raw.length) throw new DeployError(`line ${n + 1} of ${shownAs} has an unterminated " quote`);
      value = expand(s, vars, shownAs, n);
    } else {
      value = expand(raw.replace(/\s+#.*$/, '').trim(), vars, shownAs, n);
    }
    out[key] = value;
  }
  return out;
}

function expand(s: string, vars: Variables, shownAs: string, n: number): string {
  try {
    return interpolateString(s, vars, { path: `${shownAs} line ${n + 1}`, missing: [], unset: new Set() });
  } catch {
    // A `$` that is not a reference is kept as written.
    return s;
  }
}
