import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Construct } from 'constructs';
import { ConstructError, Problem, UserError, ValidationError } from './errors.js';
import { GeneratedFile } from './generated-file.js';
import { Stack } from './stack.js';

/** Name of the manifest written next to the generated files. */
export const MANIFEST_FILE = 'aixcl-manifest.json';

/** One rendered file. */
export interface SynthesizedFile {
  /** Path relative to the stack's directory. */
  readonly path: string;
  readonly content: string;
  /** Hex SHA-256 of the content. */
  readonly sha256: string;
}

/** What synthesis produced for one stack. */
export interface SynthesizedStack {
  readonly stack: Stack;
  readonly projectName: string;
  /** Sub-directory of the output directory ('' when the app has one stack). */
  readonly directory: string;
  /** Every file, the manifest last. */
  readonly files: readonly SynthesizedFile[];
}

/** The manifest: every generated file with its hash, for the deploy step. */
export interface Manifest {
  readonly project: string;
  readonly files: ReadonlyArray<{ readonly path: string; readonly sha256: string; readonly bytes: number }>;
}

/** Collects every validation problem of the tree. */
export function validateTree(root: Construct): Problem[] {
  const problems: Problem[] = [];
  for (const c of root.node.findAll()) {
    for (const message of c.node.validate()) {
      // A validation may report on another construct by starting with its path.
      const m = /^\[([^\]]+)\] ([\s\S]*)$/.exec(message);
      problems.push(m ? { path: m[1], message: m[2] } : { path: c.node.path, message });
    }
  }
  return problems;
}

/**
 * Validates the tree and renders every stack's files in memory.
 * @throws ValidationError with every problem found
 */
export function synthesize(root: Construct): SynthesizedStack[] {
  const problems = validateTree(root);
  const stacks = root.node.findAll().filter(Stack.isStack);
  if (stacks.length === 0) problems.push({ path: root.node.path, message: 'the app has no stack: create a Stack in it' });
  if (problems.length) throw new ValidationError(problems);

  const result: SynthesizedStack[] = [];
  for (const stack of stacks) {
    const files: SynthesizedFile[] = [];
    const generated = stack.node
      .findAll()
      .filter((c): c is GeneratedFile => GeneratedFile.isGeneratedFile(c) && Stack.of(c) === stack);
    for (const f of generated) {
      try {
        files.push(fileOf(f.filePath, f.render()));
      } catch (e) {
        if (ConstructError.isConstructError(e)) problems.push({ path: e.path, message: e.problemMessage });
        else if (UserError.isUserError(e)) problems.push({ path: f.node.path, message: e.message });
        else throw e;
      }
    }
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const manifest: Manifest = {
      project: stack.projectName,
      files: files.map((f) => ({ path: f.path, sha256: f.sha256, bytes: Buffer.byteLength(f.content) })),
    };
    files.push(fileOf(MANIFEST_FILE, JSON.stringify(manifest, null, 2) + '\n'));
    result.push({ stack, projectName: stack.projectName, directory: stacks.length > 1 ? stack.projectName : '', files });
  }
  // A file that fails to render is also rendered by whoever hashes it (the compose file): report it once.
  const unique = [...new Map(problems.map((p) => [`${p.path}\0${p.message}`, p])).values()];
  if (unique.length) throw new ValidationError(unique);
  return result;
}

function fileOf(path: string, content: string): SynthesizedFile {
  return { path, content, sha256: createHash('sha256').update(content).digest('hex') };
}

/**
 * Writes synthesized stacks to `outdir` atomically: everything goes to a
 * temporary directory beside it, which then replaces `outdir` by rename.
 * Refuses to replace a directory that this tool did not write.
 * @returns the paths written, relative to outdir
 */
export function writeSynthesis(outdir: string, stacks: readonly SynthesizedStack[]): string[] {
  const target = resolve(outdir);
  if (existsSync(target)) {
    const st = statSync(target);
    if (!st.isDirectory()) {
      throw new UserError(`the output path ${outdir} is a file: give a directory with --out`);
    }
    const entries = readdirSync(target);
    const ours = entries.length === 0 || entries.includes(MANIFEST_FILE) || entries.every((e) => existsSync(join(target, e, MANIFEST_FILE)));
    if (!ours) {
      throw new UserError(
        `the output directory ${outdir} holds files that aixcl-synth did not write (no ${MANIFEST_FILE}): choose another --out or empty it`,
      );
    }
  }
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const tmp = mkdtempSync(join(parent, '.aixcl-tmp-'));
  const written: string[] = [];
  try {
    for (const s of stacks) {
      for (const f of s.files) {
        const rel = s.directory ? `${s.directory}/${f.path}` : f.path;
        const abs = join(tmp, rel);
        mkdirSync(dirname(abs), { recursive: true });
        writeFileSync(abs, f.content);
        written.push(rel);
      }
    }
    if (existsSync(target)) {
      const old = `${tmp}-old`;
      renameSync(target, old);
      renameSync(tmp, target);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, target);
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return written;
}
