import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse } from 'yaml';
import { App } from './app.js';
import { UserError } from './errors.js';
import { Stack } from './stack.js';
import { MANIFEST_FILE, synthesize } from './synthesizer.js';

/**
 * Helpers for testing stacks, so users can snapshot their own stacks the way
 * cdk8s users snapshot charts.
 */
export class Testing {
  /** A new app for a test (nothing is written unless you call `synth`). */
  public static app(): App {
    return new App({ outdir: 'out' });
  }

  /**
   * Validates the stack's app and renders the stack's files in memory.
   * @returns file path -> content (the manifest left out)
   * @throws ValidationError, as synthesis would
   */
  public static synth(stack: Stack): Record<string, string> {
    const root = stack.node.root;
    const found = synthesize(root).find((s) => s.stack === stack);
    if (!found) throw new UserError(`[${stack.node.path}] is not part of its app`);
    return Object.fromEntries(found.files.filter((f) => f.path !== MANIFEST_FILE).map((f) => [f.path, f.content]));
  }

  /** Like {@link synth}, with YAML and JSON files parsed into objects (other files, such as Alloy's `.alloy`, as text). */
  public static synthDocuments(stack: Stack): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(Testing.synth(stack)).map(([p, c]) => [p, p.endsWith('.json') ? JSON.parse(c) : /\.ya?ml$/.test(p) ? parse(c) : c]),
    );
  }

  /**
   * Compares files with a snapshot file, as a snapshot test runner would:
   * a missing snapshot is written (except under CI, where it fails), and
   * `UPDATE_SNAPSHOTS=1` rewrites it. A mismatch throws, naming the files that differ.
   */
  public static matchSnapshot(files: Record<string, string>, snapshotPath: string): void {
    const actual = Object.keys(files)
      .sort()
      .map((p) => `=== ${p}\n${files[p]}`)
      .join('\n');
    const update = process.env.UPDATE_SNAPSHOTS === '1';
    if (!existsSync(snapshotPath) || update) {
      if (!update && process.env.CI) {
        throw new Error(`snapshot ${snapshotPath} is missing; run the tests once locally (or with UPDATE_SNAPSHOTS=1) and commit it`);
      }
      mkdirSync(dirname(snapshotPath), { recursive: true });
      writeFileSync(snapshotPath, actual);
      return;
    }
    const expected = readFileSync(snapshotPath, 'utf8');
    if (expected === actual) return;
    const parse = (s: string) =>
      new Map(
        s
          .split(/^=== /m)
          .filter(Boolean)
          .map((b) => [b.slice(0, b.indexOf('\n')), b]),
      );
    const [e, a] = [parse(expected), parse(actual)];
    const differ = [...new Set([...e.keys(), ...a.keys()])].filter((k) => e.get(k) !== a.get(k)).sort();
    const first = differ[0];
    let detail = '';
    if (first && e.has(first) && a.has(first)) {
      const el = e.get(first)!.split('\n');
      const al = a.get(first)!.split('\n');
      const i = el.findIndex((l, n) => l !== al[n]);
      detail = `\nfirst difference in ${first}, line ${i}:\n- ${el[i] ?? '<none>'}\n+ ${al[i] ?? '<none>'}`;
    }
    throw new Error(
      `snapshot ${snapshotPath} does not match: ${differ.join(', ')} differ${detail}\n` +
        `Review the change; if it is intended, run again with UPDATE_SNAPSHOTS=1.`,
    );
  }
}
