/**
 * The corpus of mistakes (test/bad-input/<class>/<case>.ts|.js): one stack file per mistake, each
 * with its expectation in leading comments:
 *
 *   // Mistake: what the user did wrong (one line, shown in test names)
 *   // Args: extra CLI arguments (optional; {tmp} is a temporary directory of the case)
 *   // Out: below-a-file (optional: --out is made a path below a file)
 *   // Exit: 1
 *   // Error: [path] message            (one line per problem, in the order printed; a line starting
 *                                       with a space continues the one above: a query, its caret)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.js';

export const CORPUS_DIR = join(ROOT, 'test', 'bad-input');

export interface CorpusCase {
  /** `class/file`. */
  readonly name: string;
  readonly klass: string;
  /** Path relative to the repository root, as given to --stack. */
  readonly file: string;
  readonly mistake: string;
  readonly args: readonly string[];
  readonly out?: 'below-a-file';
  readonly exit: number;
  readonly errors: readonly string[];
}

/** Every case of the corpus, by class then file name. */
export function corpusCases(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const klass of readdirSync(CORPUS_DIR).sort()) {
    for (const f of readdirSync(join(CORPUS_DIR, klass)).sort()) {
      if (!/\.(ts|js)$/.test(f)) continue;
      const file = `test/bad-input/${klass}/${f}`;
      const header = readFileSync(join(ROOT, file), 'utf8').split('\n');
      const field = (name: string) => header.filter((l) => l.startsWith(`// ${name}: `)).map((l) => l.slice(`// ${name}: `.length));
      const [mistake] = field('Mistake');
      const [exit] = field('Exit');
      const errors = field('Error');
      if (!mistake || !exit || errors.length === 0) throw new Error(`${file}: the header needs // Mistake:, // Exit: and // Error: lines`);
      const [args] = field('Args');
      const [out] = field('Out');
      cases.push({
        name: `${klass}/${f}`,
        klass,
        file,
        mistake,
        args: args ? args.split(' ') : [],
        out: out === 'below-a-file' ? out : undefined,
        exit: Number(exit),
        errors,
      });
    }
  }
  return cases;
}

/** What the CLI must print on stderr for a case (with `{tmp}` already replaced). */
export function expectedStderr(errors: readonly string[]): string {
  // A line starting with a space continues the problem above it (a query and the caret under its mistake).
  if (errors[0]?.startsWith('[') && errors.every((e) => e.startsWith('[') || e.startsWith(' '))) {
    const count = errors.filter((e) => e.startsWith('[')).length;
    return `error: ${count} problem${count === 1 ? '' : 's'} in the stack; nothing was written:\n${errors.map((e) => (e.startsWith('[') ? `  ${e}\n` : `${e}\n`)).join('')}`;
  }
  return errors.map((e) => `error: ${e}\n`).join('');
}

/** What each class of the corpus is, in the README's words, and the case whose message the README shows. */
export const CLASSES: Readonly<Record<string, { readonly what: string; readonly example: string }>> = {
  'props-types': { what: 'a value of the wrong type', example: 'port-as-string.ts' },
  'props-lists': { what: 'a string where a list is expected', example: 'command-as-string.ts' },
  'props-constructs': { what: 'a name or a plain object where a construct is expected', example: 'dependency-by-name.ts' },
  'props-units': { what: "a string or a number where a Size or a Duration is expected ('512m')", example: 'memory-limit-string.ts' },
  'props-mappings': { what: 'a list or a string where a mapping is expected', example: 'environment-list.ts' },
  'props-short-syntax': { what: "Compose's short syntax where the typed form is expected", example: 'ports-short.ts' },
  'props-enums': { what: "a value that is not one of an enum's", example: 'restart-underscore.js' },
  'props-unset': { what: 'undefined or null, e.g. an unset process.env variable', example: 'environment-unset-variable.ts' },
  'props-keys': { what: 'a prop the construct does not take (a typo, or a misplaced key), with did-you-mean', example: 'typo-in-prop.ts' },
  'ip-addresses': { what: 'a host name where Docker needs an IP address', example: 'host-ip-localhost.ts' },
  'image-references': { what: 'an image reference Docker would refuse (distribution reference grammar)', example: 'tag-with-plus.ts' },
  environment: { what: 'environment variable names and values Docker would refuse or misread, secrets in clear', example: 'name-with-equals.ts' },
  healthchecks: { what: 'healthcheck command shapes Docker would run wrongly', example: 'leading-cmd.ts' },
  'host-paths': { what: 'host paths Docker does not expand, unsafe or relative mounts', example: 'variable.js' },
  'one-shot-jobs': { what: 'a one-shot job whose restart policy starts it again', example: 'job-default-restart.js' },
  overrides: { what: 'escape-hatch values that are not plain data, or that the reading program rejects', example: 'sdk-builder-object.ts' },
  'load-failures': {
    what: 'stack files that do not load (a syntax error, a misspelled import, a refused value, process.exit(), a thrown non-Error) or export no stack',
    example: 'syntax-error.ts',
  },
  'output-path': { what: 'an output directory that cannot be written', example: 'out-below-a-file.ts' },
  'never-matches': {
    what: 'a query, rule, route or probe that is well-formed but can never match what the stack produces: a label value, a scrape job, a recorded series, a window under its interval, a program the image lacks',
    example: 'log-service-typo.ts',
  },
  collector: {
    what: 'the log collector: its kind, an image too old for Docker 29, an override Alloy would refuse, OTLP with no receiver',
    example: 'alloy-override-typo.ts',
  },
  validation: { what: 'problems of the tree as a whole (names, ports, cycles, limits), every one at once', example: 'every-problem-at-once.ts' },
};

/** The README's "Mistakes it catches" list, derived from the corpus (a test compares the two). */
export function mistakesSection(cases: readonly CorpusCase[] = corpusCases()): string {
  const lines = [
    `Each is a stack file in \`test/bad-input/<class>/\` (${cases.length} in all, TypeScript and plain JavaScript), run`,
    'through `aixcl-synth --stack FILE --out DIR` by the tests over a good output directory: exit code 2, exactly the',
    'messages shown, no stack trace, and the output directory byte-identical afterwards. One real message per class:',
    '',
  ];
  for (const [klass, { what, example }] of Object.entries(CLASSES)) {
    const inClass = cases.filter((c) => c.klass === klass);
    const shown = inClass.find((c) => c.name === `${klass}/${example}`);
    if (!shown) throw new Error(`the README example of ${klass}, ${example}, is not a case of the corpus`);
    lines.push(`- \`${klass}\` (${inClass.length}): ${what}.`, `  \`\` ${shown.errors[0]} \`\``);
  }
  return lines.join('\n') + '\n';
}
