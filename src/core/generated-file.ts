import { createHash } from 'node:crypto';
import { Construct, type IConstruct } from 'constructs';
import { stringify } from 'yaml';
import { ConstructError, FileProblemsError, type FileProblemPart } from './errors.js';
import { Overrides } from './overrides.js';
import { recordProblem } from './props.js';
import { valueAt } from './value-at.js';

const GENERATED_FILE = Symbol.for('aixcl-cdk.GeneratedFile');

type Rendered = { readonly content: string } | { readonly error: unknown };
interface RenderSession {
  readonly rendered: Map<GeneratedFile, Rendered>;
  readonly memo: Map<object, Map<string, unknown>>;
}
let session: RenderSession | undefined;

/**
 * Runs `fn` with a render cache: within it, {@link renderedContent} renders
 * each file once (the compose file hashes files that are also written), and
 * {@link memoInRenderSession} computes a result once. The tree must not change
 * within it (a synthesis validates and renders one tree).
 */
export function withRenderSession<T>(fn: () => T): T {
  const outer = session;
  session = { rendered: new Map(), memo: new Map() };
  try {
    return fn();
  } finally {
    session = outer;
  }
}

/** The file's content, rendered once per render session (a failure is remembered and thrown again). */
export function renderedContent(file: GeneratedFile): string {
  if (!session) return file.render();
  let r = session.rendered.get(file);
  if (!r) {
    try {
      r = { content: file.render() };
    } catch (error) {
      r = { error };
    }
    session.rendered.set(file, r);
  }
  if ('error' in r) throw r.error;
  return r.content;
}

/**
 * `compute()`, once per render session for the same owner and key (outside a
 * session, every time): for a check that validation and rendering both make.
 * The result is shared: do not mutate it.
 */
export function memoInRenderSession<T>(owner: object, key: string, compute: () => T): T {
  if (!session) return compute();
  let byKey = session.memo.get(owner);
  if (!byKey) session.memo.set(owner, (byKey = new Map()));
  if (!byKey.has(key)) byKey.set(key, compute());
  return byKey.get(key) as T;
}

/**
 * @internal Where the file of a stand-in goes: a construct made in place of one whose mistake is
 * recorded (so nothing is written), that must not clash with any other file of the stack (a second
 * `logs-dashboard.json`, say) nor lie in a mounted directory. Unique per construct path.
 */
export function standInFilePath(constructPath: string, extension: string): string {
  return `aixcl-stand-ins/${createHash('sha256').update(constructPath).digest('hex').slice(0, 16)}${extension}`;
}

/**
 * A file that synthesis writes, at a path relative to its stack's output
 * directory. Rendering must be deterministic: same tree, same bytes.
 */
export abstract class GeneratedFile extends Construct {
  /** True for generated files, across copies of this library. */
  public static isGeneratedFile(x: unknown): x is GeneratedFile {
    return typeof x === 'object' && x !== null && GENERATED_FILE in x;
  }

  /** Path of the file relative to the stack's output directory, with `/` separators. */
  public readonly filePath: string;

  constructor(scope: Construct, id: string, filePath: string) {
    super(scope, id);
    Object.defineProperty(this, GENERATED_FILE, { value: true });
    this.filePath = filePath;
    this.node.addValidation({
      validate: () =>
        /^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[A-Za-z0-9._\-/]+$/.test(filePath)
          ? []
          : [`file path '${filePath}' must be relative, inside the output directory, and use only letters, digits, '.', '_', '-' and '/'`],
    });
  }

  /** The file's content. */
  public abstract render(): string;

  /** Stops rendering with a problem reported at this construct's path. */
  protected fail(message: string): never {
    throw new ConstructError(this.node.path, message);
  }

  /**
   * Stops rendering with the problems of a check of this file, reported as one `prefix: part; part`
   * message; a part whose value comes from a construct (`after`) is left out when that construct
   * has a problem of its own (see {@link FileProblemsError}).
   */
  protected failWithParts(prefix: string, parts: readonly FileProblemPart[]): never {
    throw new FileProblemsError(this.node.path, prefix, parts);
  }
}

/** Serialization of a {@link DocumentFile}. */
export enum DocumentFormat {
  YAML = 'yaml',
  JSON = 'json',
}

/** Props of a {@link DocumentFile}. */
export interface DocumentFileProps {
  /** Output path relative to the stack's directory. */
  readonly filePath: string;
  /**
   * Serialization.
   * @default inferred from the extension: `.json` is JSON, anything else YAML
   */
  readonly format?: DocumentFormat;
  /**
   * A comment written at the top of a YAML file.
   * @default a line saying the file is generated
   */
  readonly header?: string;
}

/**
 * A YAML or JSON file built from a document object, with the escape hatch
 * ({@link addOverride}) and a check of the final document ({@link checkDocument}),
 * so an override that the reading program would reject fails synthesis.
 */
export abstract class DocumentFile extends GeneratedFile {
  private readonly overrides = new Overrides();
  private readonly format: DocumentFormat;
  private readonly header: string;

  constructor(scope: Construct, id: string, props: DocumentFileProps) {
    super(scope, id, props.filePath);
    this.format = props.format ?? (props.filePath.endsWith('.json') ? DocumentFormat.JSON : DocumentFormat.YAML);
    this.header = props.header ?? 'Generated by aixcl-cdk. Do not edit: change the stack and synthesize again.';
  }

  /**
   * Escape hatch: set (or, with `undefined`, delete) a key the typed API does
   * not cover. Dotted path; `\.` for a dot inside a key. The result is still
   * checked against the reading program's schema.
   */
  public addOverride(path: string, value: unknown): void {
    const problem = Overrides.problem(path, value);
    if (problem) recordProblem(this, problem);
    else this.overrides.add(path, value);
  }

  /** True when {@link addOverride} was called: a message about the final document may then point at the overrides. */
  protected get hasOverrides(): boolean {
    return !this.overrides.isEmpty;
  }

  /** The path of the last {@link addOverride} that made or changed the value at `key` of the document, if one did. */
  protected overrideTouching(key: readonly string[]): string | undefined {
    return this.overrides.touching(key);
  }

  /** Builds the document from the typed API. */
  protected abstract buildDocument(): unknown;

  /** Checks the final document (after overrides); call {@link fail} or {@link failWithIssues} to reject it. */
  protected checkDocument(_doc: unknown): void {}

  /**
   * The construct the value at `path` of the built document comes from (before overrides), when a
   * mistake in it is reported there: a problem of this file's check about that value is then a
   * follow-on, left out when the construct has a problem of its own. Undefined by default.
   */
  protected sourceOf(_path: readonly PropertyKey[]): IConstruct | undefined {
    return undefined;
  }

  /**
   * Rejects the final document with the issues of its check, as `prefix: issue; issue`. An issue about a
   * value the overrides left as built is tied to the construct it comes from ({@link sourceOf}); one
   * about a value an override set or changed is the file's own, always reported.
   */
  protected failWithIssues(prefix: string, issues: ReadonlyArray<{ readonly path?: readonly PropertyKey[]; readonly text: string }>): never {
    const built = this.overrides.isEmpty ? undefined : this.buildDocument();
    const final = built === undefined ? undefined : this.overrides.applyTo(this.buildDocument());
    this.failWithParts(
      prefix,
      issues.map((i) => {
        if (!i.path) return { message: i.text };
        const unchanged = built === undefined || unchangedAt(built, final, i.path);
        const source = unchanged ? this.sourceOf(i.path) : undefined;
        return source ? { message: i.text, after: source.node.path } : { message: i.text };
      }),
    );
  }

  /**
   * The final document (after overrides), not checked: for reading what a
   * file says (the labels a collector sets) while its own check reports
   * whatever is wrong with it.
   */
  public uncheckedDocument(): unknown {
    return this.overrides.applyTo(this.buildDocument());
  }

  /** The final document (after overrides), checked. */
  public document(): unknown {
    const doc = this.overrides.applyTo(this.buildDocument());
    this.checkDocument(doc);
    return doc;
  }

  public render(): string {
    const doc = this.document();
    if (this.format === DocumentFormat.JSON) return JSON.stringify(doc, null, 2) + '\n';
    const header = this.header
      .split('\n')
      .map((l) => `# ${l}`.trimEnd())
      .join('\n');
    return `${header}\n${stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false })}`;
  }
}

/** True when the overrides left the value at `path` (or, where the built document has none, its nearest parent) as built. */
function unchangedAt(built: unknown, final: unknown, path: readonly PropertyKey[]): boolean {
  for (let k = path.length; k >= 0; k--) {
    const before = valueAt(built, path.slice(0, k));
    if (before !== undefined) return JSON.stringify(before) === JSON.stringify(valueAt(final, path.slice(0, k)));
  }
  return false;
}
