import { GoRegexAnchoring, goRegexProblem } from '../core/re2.js';
import { checkLogQL } from '../grafana/logql.js';

/*
 * The regexes and selectors of Promtail's pipeline stages, checked as Promtail
 * compiles them when it loads the file (clients/pkg/logentry/stages of Promtail
 * 3.6): `regex`, `replace` and `drop` compile `expression` with Go's
 * regexp.Compile as written, `multiline` its `firstline`, and `match` parses
 * its `selector` as a LogQL log selector (and runs its nested `stages`).
 */

/** A stage option holding a Go regex, per stage type. */
const REGEX_FIELDS: Readonly<Record<string, readonly string[]>> = {
  regex: ['expression'],
  replace: ['expression'],
  drop: ['expression'],
  multiline: ['firstline'],
};

/** One problem of a pipeline: the path inside `pipeline_stages` and the message. */
export interface PipelineProblem {
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Every regex and selector problem of a list of pipeline stages (nested `match` stages included). */
export function pipelineRegexProblems(stages: unknown, path: ReadonlyArray<string | number> = []): PipelineProblem[] {
  if (!Array.isArray(stages)) return [];
  const problems: PipelineProblem[] = [];
  stages.forEach((stage, i) => {
    if (!isObject(stage)) return;
    for (const [type, options] of Object.entries(stage)) {
      if (!isObject(options)) continue;
      const at = [...path, i, type];
      for (const field of REGEX_FIELDS[type] ?? []) {
        const value = options[field];
        if (typeof value !== 'string') continue;
        const problem = goRegexProblem(value, GoRegexAnchoring.NONE);
        if (problem) problems.push({ path: [...at, field], message: problem });
      }
      if (type === 'match') {
        if (typeof options.selector === 'string') {
          const problem = checkLogQL(options.selector);
          if (problem) problems.push({ path: [...at, 'selector'], message: problem });
        }
        problems.push(...pipelineRegexProblems(options.stages, [...at, 'stages']));
      }
    }
  });
  return problems;
}
