import assert from 'node:assert/strict';
import { App, formatProblem, Stack, Testing, ValidationError } from '../../src/index.js';

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

/** Synthesizes one stack in memory, expecting it to fail; returns the error's message (every problem). */
export function synthErrorOf(stack: Stack): string {
  try {
    Testing.synth(stack);
  } catch (e) {
    assert.ok(e instanceof ValidationError, `expected a ValidationError, got ${String(e)}`);
    return e.message;
  }
  assert.fail('synthesis succeeded, but problems were expected');
}
