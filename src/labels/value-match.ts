import { didYouMean } from '../core/did-you-mean.js';
import { GoRegexAnchoring, goRegexTest } from '../core/re2.js';

/** A label matcher's operator, as LogQL, PromQL and Alertmanager write it. */
export type LabelMatchOp = '=' | '!=' | '=~' | '!~';

/**
 * The values a label can take, where the tree knows them: every one of them,
 * or, for a set the tree cannot list (container names, which carry a replica
 * number), examples and a test.
 */
export interface KnownValues {
  /** Every value, or (with {@link accepts}) the ones shown in messages. */
  readonly values: readonly string[];
  /** For an open set: whether a value is one of it. Regex and negative matchers are then not judged. */
  readonly accepts?: (value: string) => boolean;
}

/** A list of values, or known values as they are. */
export function knownValues(v: readonly string[] | KnownValues): KnownValues {
  return Array.isArray(v) ? { values: v } : (v as KnownValues);
}

/**
 * Whether some known value satisfies the matcher. Regexes are anchored and
 * run as Prometheus and Loki run label matchers (`^(?:re)$`, Go's RE2,
 * model/labels NewFastRegexMatcher). Undefined when that cannot be told (an
 * open set and a regex or negative matcher, a regex RE2 refuses).
 */
export function someValueMatches(op: LabelMatchOp, pattern: string, known: KnownValues): boolean | undefined {
  if (known.accepts) return op === '=' ? known.accepts(pattern) : undefined;
  const hits = known.values.map((v) => {
    switch (op) {
      case '=':
        return v === pattern;
      case '!=':
        return v !== pattern;
      default: {
        const hit = goRegexTest(pattern, v, GoRegexAnchoring.FULL);
        return hit === undefined ? undefined : hit === (op === '=~');
      }
    }
  });
  if (hits.some((h) => h === true)) return true;
  return hits.some((h) => h === undefined) ? undefined : false;
}

/**
 * What follows a matcher no value satisfies: the values there are, and the
 * closest one for an `=` (`; did you mean "ollama"?`).
 */
export function valuesHint(label: string, op: LabelMatchOp, pattern: string, known: KnownValues): string {
  const listed = known.values.map((k) => `"${k}"`).join(', ');
  const near = op === '=' ? (didYouMean(pattern, known.values, '"') ?? '') : '';
  return `${label} ${known.accepts ? `such as ${listed}` : listed}${near}`;
}
