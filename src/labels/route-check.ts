import { GoRegexAnchoring, goRegexTest } from '../core/re2.js';
import type { AlertLabels } from './alert-labels.js';
import { type KnownValues, type LabelMatchOp, someValueMatches, valuesHint } from './value-match.js';

/*
 * Alertmanager routes and inhibit rules whose matchers no alert of the stack can satisfy: a label
 * no alert carries, or a value none can have. Read from the final alertmanager.yml (typed routes
 * and overrides alike). Alertmanager's matchers: `name op value`, the value quoted or not, regexes
 * anchored (docs/configuration.md <matcher>; pkg/labels/matcher.go NewMatcher), and the legacy
 * `match` / `match_re` maps.
 */

interface ParsedMatcher {
  readonly label: string;
  readonly op: LabelMatchOp;
  readonly value: string;
  readonly text: string;
}

type Obj = Record<string, unknown>;
const isObject = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/** One message per matcher of a route or inhibit rule that no alert of the stack can satisfy. */
export function routeProblems(doc: unknown, alerts: readonly AlertLabels[]): string[] {
  const problems: string[] = [];
  const d = isObject(doc) ? doc : {};
  const walk = (route: unknown, name: string) => {
    if (!isObject(route)) return;
    for (const m of matchersOf(route, 'matchers', 'match', 'match_re')) {
      const p = matcherProblem(m, alerts);
      if (p) problems.push(`${name} (${m.text}) never takes an alert: ${p}`);
    }
    if (Array.isArray(route.routes)) route.routes.forEach((r, i) => walk(r, `${name}.${i + 1}`));
  };
  if (isObject(d.route) && Array.isArray(d.route.routes)) d.route.routes.forEach((r, i) => walk(r, `route ${i + 1}`));
  if (Array.isArray(d.inhibit_rules)) {
    d.inhibit_rules.forEach((rule, i) => {
      if (!isObject(rule)) return;
      for (const side of ['source', 'target'] as const) {
        for (const m of matchersOf(rule, `${side}_matchers`, `${side}_match`, `${side}_match_re`)) {
          const p = matcherProblem(m, alerts);
          if (p) problems.push(`inhibit rule ${i + 1}'s ${side} (${m.text}) never matches an alert, so it never inhibits: ${p}`);
        }
      }
    });
  }
  return problems;
}

function matchersOf(o: Obj, list: string, eq: string, re: string): ParsedMatcher[] {
  const out: ParsedMatcher[] = [];
  for (const s of Array.isArray(o[list]) ? o[list] : []) if (typeof s === 'string') out.push(...parse(s));
  for (const [k, v] of Object.entries(isObject(o[eq]) ? o[eq] : {}))
    out.push({ label: k, op: '=', value: String(v), text: `${k}=${JSON.stringify(String(v))}` });
  for (const [k, v] of Object.entries(isObject(o[re]) ? o[re] : {}))
    out.push({ label: k, op: '=~', value: String(v), text: `${k}=~${JSON.stringify(String(v))}` });
  return out;
}

/** `name="value"`, `name=~value`, possibly several in `{a="b", c="d"}` form. */
function parse(s: string): ParsedMatcher[] {
  const inner = s.trim().replace(/^\{([\s\S]*)\}$/, '$1');
  const out: ParsedMatcher[] = [];
  const re = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|[^,]*)\s*,?/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(inner)) !== null && m[0] !== '') {
    let value = m[3].trim();
    if (value.startsWith('"')) {
      try {
        value = JSON.parse(value) as string;
      } catch {
        return []; // the file's own check reports a matcher that does not parse
      }
    }
    out.push({ label: m[1], op: m[2] as LabelMatchOp, value, text: `${m[1]}${m[2]}${JSON.stringify(value)}` });
  }
  return out;
}

/** Why no alert satisfies the matcher, or undefined when one may. */
function matcherProblem(m: ParsedMatcher, alerts: readonly AlertLabels[]): string | undefined {
  // A negative matcher, or one the empty value satisfies, holds for an alert without the label.
  if (m.op === '!=' || m.op === '!~') return undefined;
  if (m.op === '=' ? m.value === '' : goRegexTest(m.value, '', GoRegexAnchoring.FULL) !== false) return undefined;
  const carrying = alerts.filter((a) => a.labels.has(m.label));
  // An alert whose expression keeps labels that cannot be listed may carry it, with any value.
  if (alerts.some((a) => a.open && !a.labels.has(m.label))) return undefined;
  if (carrying.length === 0) {
    const names = [...new Set(alerts.flatMap((a) => [...a.labels.keys()]))].sort();
    return `no alert of the stack carries the label '${m.label}' (the alerts carry ${names.join(', ')})`;
  }
  if (carrying.some((a) => a.labels.get(m.label) === undefined || a.labels.get(m.label)!.accepts)) return undefined;
  const union: KnownValues = { values: [...new Set(carrying.flatMap((a) => a.labels.get(m.label)!.values))].sort() };
  if (someValueMatches(m.op, m.value, union) !== false) return undefined;
  return `no alert of the stack has that value (the alerts have ${valuesHint(m.label, m.op, m.value, union)})`;
}
