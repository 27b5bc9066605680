import { createHash } from 'node:crypto';
import type { Construct } from 'constructs';
import { ConstructError, FileProblemsError, Problem, UserError, ValidationError } from './errors.js';
import { GeneratedFile, renderedContent, withRenderSession } from './generated-file.js';
import { isOnFallbacks, recordedProblems } from './props.js';
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

/** A problem found by synthesis; one of a generated file's check keeps its parts (see {@link withoutFollowOns}). */
type FoundProblem = Problem & { readonly file?: FileProblemsError };

/** Collects every validation problem of the tree. */
export function validateTree(root: Construct): FoundProblem[] {
  const problems: FoundProblem[] = [];
  const add = (c: Construct, message: string) => {
    // A message may report on another construct by starting with its path.
    const m = /^\[([^\]]+)\] ([\s\S]*)$/.exec(message);
    problems.push(m ? { path: m[1], message: m[2] } : { path: c.node.path, message });
  };
  const all = root.node.findAll();
  // Problems recorded while constructing (wrong props, wrong method arguments) come first.
  for (const c of all) for (const message of recordedProblems(c)) add(c, message);
  const recorded = problems.length > 0;
  for (const c of all) {
    let messages: string[];
    try {
      messages = c.node.validate();
    } catch (e) {
      // A validation that renders a file (to hash it, say) meets that file's check: its parts are kept.
      if (FileProblemsError.isFileProblemsError(e)) {
        problems.push({ path: e.path, message: e.problemMessage, file: e });
        continue;
      }
      if (UserError.isUserError(e)) messages = [ConstructError.isConstructError(e) ? `[${e.path}] ${e.problemMessage}` : e.message];
      // A construct built on fallbacks for a recorded problem may fail to validate: a consequence of that problem.
      else if (recorded) continue;
      else throw e;
    }
    for (const message of messages) add(c, message);
  }
  return problems;
}

/**
 * Validates the tree and renders every stack's files in memory.
 * @throws ValidationError with every problem found
 */
export function synthesize(root: Construct): SynthesizedStack[] {
  // One render session for validation and rendering: checks both make are computed once.
  return withRenderSession(() => synthesizeInSession(root));
}

function synthesizeInSession(root: Construct): SynthesizedStack[] {
  const problems: FoundProblem[] = validateTree(root);
  const invalid = problems.length > 0;
  const stacks = root.node.findAll().filter(Stack.isStack);
  if (stacks.length === 0) problems.push({ path: root.node.path, message: 'the app has no stack: create a Stack in it' });
  const byProject = new Map<string, Stack>();
  for (const stack of stacks) {
    // A name that is a fallback for a reported mistake is not the user's: its clash would be a follow-on.
    if (isOnFallbacks(stack, 'projectName')) continue;
    const first = byProject.get(stack.projectName);
    if (first) {
      problems.push({
        path: stack.node.path,
        message: `project name '${stack.projectName}' is also used by ${first.node.path}: give each stack its own projectName (they would share containers and output)`,
      });
    } else byProject.set(stack.projectName, stack);
  }

  // Files are rendered even when validation found problems, so that every problem is reported at once.
  const result: SynthesizedStack[] = [];
  for (const stack of stacks) {
    const files: SynthesizedFile[] = [];
    const generated = stack.node.findAll().filter((c): c is GeneratedFile => GeneratedFile.isGeneratedFile(c) && Stack.of(c) === stack);
    if (generated.length === 0) {
      problems.push({ path: stack.node.path, message: 'the stack has nothing to synthesize: add a Service (or a construct that creates one)' });
    }
    for (const f of generated) {
      try {
        files.push(fileOf(f.filePath, renderedContent(f)));
      } catch (e) {
        if (FileProblemsError.isFileProblemsError(e)) problems.push({ path: e.path, message: e.problemMessage, file: e });
        else if (ConstructError.isConstructError(e)) problems.push({ path: e.path, message: e.problemMessage });
        else if (UserError.isUserError(e)) problems.push({ path: f.node.path, message: e.message });
        // In a tree already known to be invalid, a failure to render is a consequence of a reported problem.
        else if (!invalid) throw e;
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
  const unique = [...new Map(withoutFollowOns(problems).map((p) => [`${p.path}\0${p.message}`, p])).values()];
  if (unique.length) throw new ValidationError(unique);
  return result;
}

/**
 * The problems to report: a follow-on (a problem about a value that comes from a construct, see
 * {@link Problem.after}) is left out when that construct has a problem of its own, which names the
 * mistake where the user wrote it. A file's check keeps the parts that are not follow-ons.
 */
export function withoutFollowOns(problems: readonly FoundProblem[]): Problem[] {
  const own = new Set(problems.filter((p) => !p.after && !p.file).map((p) => p.path));
  const kept = (after: readonly string[] | undefined) => !after || !after.some((a) => own.has(a));
  const result: Problem[] = [];
  for (const p of problems) {
    if (p.file) {
      const parts = p.file.parts.filter((part) => kept(part.after === undefined ? undefined : [part.after]));
      if (parts.length) result.push({ path: p.path, message: FileProblemsError.messageOf(p.file.prefix, parts) });
    } else if (kept(p.after)) result.push({ path: p.path, message: p.message });
  }
  return result;
}

function fileOf(path: string, content: string): SynthesizedFile {
  return { path, content, sha256: createHash('sha256').update(content).digest('hex') };
}
