import assert from 'node:assert/strict';
import { App, formatProblem, ValidationError } from '../../src/index.js';

/** Synthesizes the app, expecting it to fail; returns each problem as `[path] message`. */
export function problemsOf(app: App): string[] {
  try {
    app.synthesize();
  } catch (e) {
    if (e instanceof ValidationError) return e.problems.map(formatProblem);
    throw e;
  }
  assert.fail('synthesis succeeded, but problems were expected');
}

/** Asserts that synthesis fails with a problem starting with `expected` (and says which were found otherwise). */
export function assertProblem(app: App, expected: string | RegExp): string[] {
  const lines = problemsOf(app);
  const hit = lines.some((l) => (typeof expected === 'string' ? l.startsWith(expected) : expected.test(l)));
  assert.ok(hit, `expected a problem ${String(expected)}, got:\n${lines.join('\n')}`);
  return lines;
}
