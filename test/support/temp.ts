/**
 * Temporary directories for tests. All of a test file's directories live under one directory,
 * removed by a root `after` hook when the file is done (passed or failed), so a run leaves
 * nothing in the temp dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

const root = mkdtempSync(join(tmpdir(), 'aixcl-test-'));
// Registered at import, outside any test: a hook of the file's root, run after every test and suite hook.
after(() => rmSync(root, { recursive: true, force: true }));

/** A new empty directory, removed with the others when the test file is done. */
export function tempDir(name = 'dir'): string {
  return mkdtempSync(join(root, `${name}-`));
}
