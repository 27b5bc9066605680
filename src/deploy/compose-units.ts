import { DeployError } from './errors.js';

/** Parses a Compose duration (`1m30s`, `10s`, `500ms`, `1h`, `2us`) into nanoseconds. */
export function parseDurationNs(value: unknown, where: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value * 1e9);
  const s = String(value).trim();
  const units: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let end = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    total += Number(m[1]) * units[m[2]];
    end = re.lastIndex;
  }
  if (s === '0') return 0;
  if (s.length === 0 || end !== s.length) throw new DeployError(`${where}: '${s}' is not a duration (write it like 10s, 1m30s or 500ms)`);
  return Math.round(total);
}

/** Parses a Compose byte size (`512m`, `1g`, `1024`, `1.5gb`) into bytes. */
export function parseBytes(value: unknown, where: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value);
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)(?:i?b)?$/i.exec(String(value).trim());
  if (!m) throw new DeployError(`${where}: '${String(value)}' is not a size (write it like 512m or 1g)`);
  const factor = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 }[m[2].toLowerCase() as '' | 'k'];
  return Math.round(Number(m[1]) * factor);
}

/** Splits a command string into words as a POSIX shell would (quotes and backslashes; no expansion). */
export function splitShellWords(s: string, where: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else cur += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < s.length && '"\\$`'.includes(s[i + 1])) cur += s[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) throw new DeployError(`${where}: unterminated ${quote} quote in '${s}'`);
  if (inWord) words.push(cur);
  return words;
}
