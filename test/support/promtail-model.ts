/*
 * A small MODEL of Promtail 3.6's documented pipeline behaviour, for exactly
 * the stages this library emits (relabel `replace`, match, multiline, regex,
 * json, logfmt, template, timestamp, structured_metadata, labels, drop,
 * sampling), so tests can run real sample lines through the generated
 * pipeline. It is not a replacement for Promtail: anything outside that
 * subset throws "not modeled" instead of guessing. Sources:
 * docs/sources/send-data/promtail/stages/*.md and
 * clients/pkg/logentry/stages/*.go of grafana/loki v3.6.15.
 */

export interface ModelEntry {
  /** Stream labels after relabelling. */
  labels: Record<string, string>;
  line: string;
  /** Unix time in nanoseconds (Docker's read time until a timestamp stage replaces it). */
  time: bigint;
  extracted: Record<string, unknown>;
  metadata: Record<string, string>;
}

export interface ModelOptions {
  /** Sampling's random source, in [0, 1). @default Math.random */
  readonly random?: () => number;
}

type Stage = Record<string, any>;

class NotModeled extends Error {}

/** Applies relabel rules of the default `replace` action (the only one the collector emits). */
export function relabel(meta: Record<string, string>, rules: readonly Stage[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rules) {
    if ((r.action ?? 'replace') !== 'replace') throw new NotModeled(`relabel action ${r.action}`);
    const value = (r.source_labels as string[]).map((l) => meta[l] ?? '').join(r.separator ?? ';');
    const m = goRegex(`^(?:${r.regex ?? '(.*)'})$`).exec(value);
    if (!m) continue;
    const replaced = String(r.replacement ?? '$1').replace(/\$(\d+)|\$\{(\d+)\}/g, (_, a, b) => m[Number(a ?? b)] ?? '');
    if (replaced === '') delete out[r.target_label];
    else out[r.target_label] = replaced;
  }
  return out;
}

/** Runs entries through pipeline stages; returns what reaches Loki, in Loki's (timestamp) order. */
export function runPipeline(stages: readonly Stage[], input: readonly Omit<ModelEntry, 'extracted' | 'metadata'>[], options: ModelOptions = {}): ModelEntry[] {
  const entries = input.map((e) => ({ ...e, labels: { ...e.labels }, extracted: {}, metadata: {} }));
  return run(stages, entries, options).sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
}

function run(stages: readonly Stage[], entries: ModelEntry[], o: ModelOptions): ModelEntry[] {
  // Every pipeline, a match stage's nested one too, starts by copying the entry's labels into the
  // extracted map, so stages can read labels (pipeline.go, Pipeline.Run).
  for (const e of entries) Object.assign(e.extracted, e.labels);
  for (const stage of stages) {
    const keys = Object.keys(stage);
    if (keys.length !== 1) throw new NotModeled(`stage with keys ${keys.join(',')}`);
    entries = STAGES[keys[0]]?.(stage[keys[0]], entries, o) ?? notModeled(keys[0]);
  }
  return entries;
}

function notModeled(name: string): never {
  throw new NotModeled(`stage '${name}' is not modeled`);
}

const each = (f: (cfg: any, e: ModelEntry) => void) => (cfg: any, entries: ModelEntry[]) => {
  for (const e of entries) f(cfg, e);
  return entries;
};

const STAGES: Record<string, (cfg: any, entries: ModelEntry[], o: ModelOptions) => ModelEntry[]> = {
  match(cfg, entries, o) {
    if (cfg.action === 'drop') return entries.filter((e) => !selects(cfg.selector, e));
    const hit = entries.filter((e) => selects(cfg.selector, e));
    return [...entries.filter((e) => !hit.includes(e)), ...run(cfg.stages, hit, o)];
  },
  multiline(cfg, entries) {
    const first = goRegex(cfg.firstline);
    const maxLines = cfg.max_lines ?? 128;
    const maxWait = BigInt(Math.round(goDurationMs(cfg.max_wait_time ?? '3s') * 1e6));
    const out: ModelEntry[] = [];
    const streams = new Map<string, { start: ModelEntry; lines: string[]; last: bigint }>();
    const flush = (s: { start: ModelEntry; lines: string[] }) => {
      if (s.lines.length) out.push({ ...s.start, extracted: { ...s.start.extracted }, labels: { ...s.start.labels }, line: s.lines.join('\n') });
      s.lines = [];
    };
    for (const e of entries) {
      const key = JSON.stringify(Object.entries(e.labels).sort());
      let s = streams.get(key);
      const isFirst = first.test(e.line);
      if (!s) {
        // Lines before a stream's first start line pass through (multiline.go).
        if (!isFirst) {
          out.push(e);
          continue;
        }
        s = { start: e, lines: [], last: e.time };
        streams.set(key, s);
      }
      // max_wait_time modeled on the entries' own times: a gap longer than it means the timer fired first.
      // Promtail's timer is wall-clock per stream (multiline.go, time.After): a pipeline stalled by slow
      // pushes can split an entry whose lines came close together. Not modeled (LOGGING.md says so).
      if (e.time - s.last > maxWait) flush(s);
      s.last = e.time;
      if (isFirst) {
        flush(s);
        s.start = e;
      }
      s.lines.push(e.line);
      if (s.lines.length >= maxLines) flush(s);
    }
    for (const s of streams.values()) flush(s);
    return out;
  },
  regex: each((cfg, e) => {
    if (cfg.source !== undefined) throw new NotModeled('regex source');
    const m = goRegex(cfg.expression).exec(e.line);
    // Every named group is set, '' when it did not take part (regex.go, FindStringSubmatch).
    if (m) for (const name of groupNames(cfg.expression)) e.extracted[name] = m.groups?.[name] ?? '';
  }),
  json: each((cfg, e) => {
    if (cfg.source !== undefined) throw new NotModeled('json source');
    let data: unknown;
    try {
      data = JSON.parse(e.line);
    } catch {
      return; // malformed: nothing extracted, the entry goes on (drop_malformed is off)
    }
    for (const [name, path] of Object.entries(cfg.expressions as Record<string, string>)) {
      let v: any = data;
      for (const seg of jmesSegments(path)) v = v !== null && typeof v === 'object' ? v[seg] : undefined;
      if (v === undefined || v === null) continue;
      e.extracted[name] = typeof v === 'object' ? JSON.stringify(v) : v;
    }
  }),
  logfmt: each((cfg, e) => {
    if (cfg.source !== undefined) throw new NotModeled('logfmt source');
    const inverse = new Map(Object.entries(cfg.mapping as Record<string, string>).map(([k, v]) => [v || k, k]));
    for (const [k, v] of logfmtPairs(e.line)) if (inverse.has(k)) e.extracted[inverse.get(k)!] = v;
  }),
  template: each((cfg, e) => {
    const data: Record<string, unknown> = { Entry: e.line };
    for (const [k, v] of Object.entries(e.extracted)) {
      data[k] = goString(v);
      if (k === cfg.source) data.Value = goString(v);
    }
    let out: string;
    try {
      out = goTemplate(cfg.template, data);
    } catch (err) {
      if (err instanceof NotModeled) throw err;
      return; // execution error: the entry is left as it is (template.go)
    }
    if (out === '') delete e.extracted[cfg.source];
    else e.extracted[cfg.source] = out;
  }),
  timestamp: each((cfg, e) => {
    if (cfg.location !== undefined) throw new NotModeled('timestamp location');
    const v = e.extracted[cfg.source];
    if (v === undefined) return;
    for (const f of [cfg.format, ...(cfg.fallback_formats ?? [])]) {
      const t = parseGoTime(goString(v), f);
      if (t !== undefined) {
        e.time = t;
        return;
      }
    }
    if ((cfg.action_on_failure ?? 'fudge') !== 'skip') throw new NotModeled('action_on_failure fudge');
  }),
  structured_metadata: each((cfg, e) => {
    for (const [name, src] of Object.entries(cfg as Record<string, string | null>)) {
      const source = src || name;
      if (e.extracted[source] !== undefined) e.metadata[name] = goString(e.extracted[source]);
      else if (e.labels[source] !== undefined) e.metadata[name] = e.labels[source];
      else continue;
      // A stream label of the source's name and the same value becomes metadata only (structuredmetadata.go).
      if (e.labels[source] === e.metadata[name]) delete e.labels[source];
    }
  }),
  labels: each((cfg, e) => {
    for (const [name, src] of Object.entries(cfg as Record<string, string | null>)) {
      const v = e.extracted[src || name];
      if (v !== undefined) e.labels[name] = goString(v);
    }
  }),
  drop(cfg, entries) {
    if (cfg.source !== undefined || cfg.value !== undefined || cfg.older_than || cfg.longer_than) throw new NotModeled('drop without expression only');
    const re = goRegex(cfg.expression);
    return entries.filter((e) => !re.test(e.line));
  },
  sampling(cfg, entries, o) {
    const random = o.random ?? Math.random;
    return entries.filter(() => random() < cfg.rate);
  },
};

/** `{a="b", c=~"re"} |~ "re" != "x"`: label matchers (anchored) and line filters. */
export function selects(selector: string, e: ModelEntry): boolean {
  const m = /^\{([^}]*)\}(.*)$/s.exec(selector.trim());
  if (!m) throw new NotModeled(`selector ${selector}`);
  // Promtail's match selector lexer reads double-quoted strings only (clients/pkg/logentry/logql/parser.go,
  // scanner.String): a backtick string fails the config load ('invalid selector syntax for match stage').
  if (selector.replace(/"(?:[^"\\]|\\.)*"/g, '""').includes('`')) throw new Error(`invalid selector syntax for match stage: ${selector}`);
  const str = String.raw`("(?:[^"\\]|\\.)*")`;
  for (const [, name, op, raw] of m[1].matchAll(new RegExp(String.raw`\s*([a-zA-Z_]\w*)\s*(=~|!~|!=|=)\s*${str}\s*,?`, 'g'))) {
    const value = unquote(raw);
    const have = e.labels[name] ?? '';
    const ok = op === '=' ? have === value : op === '!=' ? have !== value : goRegex(`^(?:${value})$`).test(have) === (op === '=~');
    if (!ok) return false;
  }
  let rest = m[2].trim();
  const filter = new RegExp(String.raw`^(\|=|!=|\|~|!~)\s*${str}\s*`);
  while (rest) {
    const f = filter.exec(rest);
    if (!f) throw new NotModeled(`line filter ${rest}`);
    const v = unquote(f[2]);
    const has = f[1].endsWith('~') ? goRegex(v).test(e.line) : e.line.includes(v);
    if (has !== f[1].startsWith('|')) return false;
    rest = rest.slice(f[0].length);
  }
  return true;
}

function unquote(s: string): string {
  return s.startsWith('`') ? s.slice(1, -1) : (JSON.parse(s) as string);
}

/** Go RE2 syntax to a JS RegExp, for the constructs the collector's expressions use. */
export function goRegex(re: string): RegExp {
  let flags = '';
  let src = re;
  const lead = /^\(\?([is]+)\)/.exec(src);
  if (lead) {
    flags += lead[1];
    src = src.slice(lead[0].length);
  }
  if (/\(\?[a-zA-Z]/.test(src.replace(/\(\?P?</g, ''))) throw new NotModeled(`regex flags inside ${re}`);
  if (/\\[zApPCQE]/.test(src)) throw new NotModeled(`regex escape in ${re}`);
  src = src.replace(/\(\?P</g, '(?<');
  if (/\\x\{/.test(src)) {
    src = src.replace(/\\x\{([0-9a-fA-F]+)\}/g, '\\u{$1}');
    flags += 'u';
  }
  return new RegExp(src, flags);
}

/** The named groups of a regex, in order. */
export function groupNames(re: string): string[] {
  return [...re.matchAll(/\(\?P?<([a-zA-Z_]\w*)>/g)].map((m) => m[1]);
}

function jmesSegments(path: string): string[] {
  return [...path.matchAll(/"((?:[^"\\]|\\.)*)"|([^.]+)/g)].map((m) => (m[1] !== undefined ? JSON.parse(`"${m[1]}"`) : m[2]));
}

/** Stage values as Go's getString gives them (numbers without exponent, booleans as words). */
function goString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new NotModeled(`value of type ${typeof v}`);
}

/** go-logfmt's decoder: pairs until the first syntax error (what was read before it is kept). */
export function logfmtPairs(line: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const garbage = (c: string) => c <= ' ' || c === '=' || c === '"' || c === '\x7f';
  let i = 0;
  while (i < line.length) {
    while (i < line.length && line[i] <= ' ') i++;
    if (i >= line.length) break;
    let k = '';
    while (i < line.length && !garbage(line[i])) k += line[i++];
    if (k === '') return pairs; // '=' or '"' where a key starts: decode error
    if (line[i] !== '=') {
      pairs.push([k, '']);
      continue;
    }
    i++;
    let v = '';
    if (line[i] === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      if (j >= line.length) return pairs; // unterminated
      v = JSON.parse(line.slice(i, j + 1));
      i = j + 1;
    } else {
      while (i < line.length && line[i] > ' ') {
        if (line[i] === '=' || line[i] === '"') return pairs; // go-logfmt: unexpected '=' / '"' in a value
        v += line[i++];
      }
    }
    pairs.push([k, v]);
  }
  return pairs;
}

/**
 * text/template for the forms the collector writes: `{{ $x := F .Value }}`,
 * `{{ if eq A B ... }}`, `{{ else if ... }}`, `{{ else }}`, `{{ end }}`,
 * `{{ .Name }}` / `{{ $x }}`, with the functions ToLower and ToUpper.
 */
export function goTemplate(tpl: string, data: Record<string, unknown>): string {
  const parts = tpl.split(/(\{\{-?\s*[\s\S]*?\s*-?\}\})/).filter((p) => p !== '');
  const vars: Record<string, unknown> = {};
  const value = (tok: string): unknown => {
    if (tok.startsWith('"')) return JSON.parse(tok);
    if (tok.startsWith('$')) return vars[tok];
    if (tok.startsWith('.')) return data[tok.slice(1)];
    throw new NotModeled(`template operand ${tok}`);
  };
  const expr = (src: string): unknown => {
    const toks = src.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
    if (toks.length === 1) return value(toks[0]);
    const [fn, ...args] = toks;
    const vals = args.map(value);
    const str = (v: unknown) => {
      if (typeof v !== 'string') throw new Error('wrong type for value; expected string');
      return v;
    };
    if (fn === 'ToLower') return str(vals[0]).toLowerCase();
    if (fn === 'ToUpper') return str(vals[0]).toUpperCase();
    if (fn === 'eq') return vals.slice(1).some((v) => v === vals[0]);
    throw new NotModeled(`template function ${fn}`);
  };
  let out = '';
  // Stack of [this branch is active, some branch of this if was taken, parent active].
  const stack: Array<{ active: boolean; taken: boolean; parent: boolean }> = [];
  const active = () => stack.every((s) => s.active);
  for (const p of parts) {
    const a = /^\{\{-?\s*([\s\S]*?)\s*-?\}\}$/.exec(p);
    if (!a) {
      if (active()) out += p;
      continue;
    }
    const body = a[1];
    let m: RegExpExecArray | null;
    if ((m = /^(\$\w+)\s*:=\s*([\s\S]+)$/.exec(body))) {
      if (active()) vars[m[1]] = expr(m[2]);
    } else if ((m = /^if\s+([\s\S]+)$/.exec(body))) {
      const parent = active();
      const c = parent && Boolean(expr(m[1]));
      stack.push({ active: c, taken: c, parent });
    } else if ((m = /^else if\s+([\s\S]+)$/.exec(body))) {
      const s = stack[stack.length - 1];
      s.active = false;
      const c = s.parent && !s.taken && Boolean(expr(m[1]));
      s.active = c;
      s.taken ||= c;
    } else if (body === 'else') {
      const s = stack[stack.length - 1];
      s.active = s.parent && !s.taken;
    } else if (body === 'end') {
      stack.pop();
    } else if (active()) {
      const v = expr(body);
      out += v === undefined ? '<no value>' : String(v);
    }
  }
  return out;
}

function goDurationMs(d: string): number {
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const [, n, u] of d.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(n) * unit[u];
  return total;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const NAMED: Record<string, string> = { RFC3339: '2006-01-02T15:04:05Z07:00', RFC3339Nano: '2006-01-02T15:04:05.999999999Z07:00' };

/**
 * Go's time.Parse for the layout elements the collector uses (2006 01 Jan 02
 * 15 04 05, fractions `.000`/`,000`/`.999`, MST, -0700, -07:00, Z07:00) and
 * Promtail's Unix* names. As in Go, a fraction after the seconds is accepted
 * even when the layout has none, a zone abbreviation Go does not know (GMT+h
 * included) is read as offset zero, and a field out of range is refused. Returns Unix nanoseconds, or undefined when it does not parse.
 */
export function parseGoTime(text: string, format: string): bigint | undefined {
  const unix: Record<string, bigint> = { Unix: 1_000_000_000n, UnixMs: 1_000_000n, UnixUs: 1000n, UnixNs: 1n };
  if (format in unix) return /^\d+$/.test(text) ? BigInt(text) * unix[format] : undefined;
  const layout = NAMED[format] ?? format;
  const tokens = /2006|01|Jan|02|15|04|05|[.,](?:0+|9+)|MST|Z07:00|-07:00|-0700|[^0-9JMZ-]+|./g;
  const fields: string[] = [];
  let src = '^';
  for (const [t] of layout.matchAll(tokens)) {
    const group = (re: string, name: string) => {
      fields.push(name);
      src += `(${re})`;
    };
    if (t === '2006') group('\\d{4}', 'year');
    else if (t === '01') group('\\d{2}', 'month');
    else if (t === 'Jan') group(MONTHS.join('|'), 'mon');
    else if (t === '02') group('\\d{2}', 'day');
    else if (t === '15') group('\\d{2}', 'hour');
    else if (t === '04') group('\\d{2}', 'min');
    else if (t === '05') {
      group('\\d{2}', 'sec');
      if (!/05[.,]/.test(layout)) group('(?:[.,]\\d+)?', 'frac');
    } else if (/^[.,]0+$/.test(t)) group(`[.,]\\d{${t.length - 1}}`, 'frac');
    else if (/^[.,]9+$/.test(t)) group('(?:[.,]\\d+)?', 'frac');
    // Go's parseTimeZone (time/format.go): 3 letters; 4-5 ending in T; ChST, MeST; GMT+h; +h. The number
    // after a sign is all its digits, at most 23 (parseSignedOffset: "+0530" is refused), checked below.
    else if (t === 'MST') group('ChST|MeST|GMT[+-]\\d+|[A-Z]{3,4}T|[A-Z]{3}|[+-]\\d+', 'abbr');
    else if (t === 'Z07:00') group('Z|[+-]\\d{2}:\\d{2}', 'zone');
    else if (t === '-07:00' || t === '-0700') group(t === '-0700' ? '[+-]\\d{4}' : '[+-]\\d{2}:\\d{2}', 'zone');
    else if (/^[0-9]/.test(t)) throw new NotModeled(`layout element ${t}`);
    else src += t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const m = new RegExp(src + '$').exec(text);
  if (!m) return undefined;
  const v: Record<string, string> = {};
  fields.forEach((f, i) => (v[f] = m[i + 1]));
  const signed = v.abbr ? /^(?:GMT)?[+-](\d+)$/.exec(v.abbr) : null;
  if (signed && Number(signed[1]) > 23) return undefined;
  const month = v.mon ? MONTHS.indexOf(v.mon) : Number(v.month) - 1;
  // Go refuses what is out of range (time/format.go: "month/day/hour/minute/second out of range"); Date.UTC would roll over.
  const daysIn = new Date(Date.UTC(Number(v.year), month + 1, 0)).getUTCDate();
  const day = Number(v.day);
  if (month < 0 || month > 11 || day < 1 || day > daysIn) return undefined;
  if (Number(v.hour ?? 0) > 23 || Number(v.min ?? 0) > 59 || Number(v.sec ?? 0) > 59) return undefined;
  let ms = Date.UTC(Number(v.year), month, Number(v.day), Number(v.hour ?? 0), Number(v.min ?? 0), Number(v.sec ?? 0));
  // An abbreviation Promtail's location (UTC: its image sets no TZ) does not know is read as offset 0,
  // whatever zone it names (time.Parse: "a fabricated location ... zero offset"). GMT+h too: time.Parse
  // gives that fabricated zone the offset h but only relabels the instant it read as UTC (t.setLoc, not
  // t.addSec), so the instant is the wall clock read as UTC (checked against Go: test/go-parity.test.ts).
  if (v.zone && v.zone !== 'Z') {
    const z = /([+-])(\d{2}):?(\d{2})/.exec(v.zone)!;
    ms -= (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) * 60_000;
  }
  const frac = (v.frac ?? '').slice(1).padEnd(9, '0').slice(0, 9);
  return BigInt(ms) * 1_000_000n + BigInt(frac || '0');
}
