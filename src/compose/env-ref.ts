import { UserError } from '../core/errors.js';
import { cleanInterpolationText, Secret } from './secret.js';

const ENV_REF = Symbol.for('aixcl-cdk.EnvRef');
const INTERPOLATION = Symbol.for('aixcl-cdk.Interpolation');
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Options of {@link EnvRef.of}. */
export interface EnvRefOptions {
  /**
   * Refuse to start when the variable is unset or empty, with this message (`${NAME:?message}`).
   * @default not required: an unset variable is the empty string (`${NAME}`)
   */
  readonly required?: string;
  /** Used when the variable is unset or empty (`${NAME:-default}`). @default none */
  readonly default?: string;
}

/**
 * A reference to a variable of the environment (or `./.env`) where the stack is started, filled in
 * by Compose or aixcl-deploy then, not at synth time: `${NAME}`, `${NAME:?message}` or
 * `${NAME:-default}` in the compose file. A plain string's `$` is written `$$` (a literal dollar, see
 * the README's "Dollars, variables and secrets"), so this is the one way to put a reference into a
 * command, an entrypoint or an environment value. For a secret, use {@link Secret.fromEnv}, which
 * is a required reference that is also listed among the stack's secrets.
 */
export class EnvRef {
  public static isEnvRef(x: unknown): x is EnvRef {
    return typeof x === 'object' && x !== null && ENV_REF in x;
  }

  /** A reference to the variable `name`. */
  public static of(name: string, options: EnvRefOptions = {}): EnvRef {
    if (!VARIABLE_NAME.test(name)) {
      throw new UserError(`'${name}' is not an environment variable name (letters, digits and '_', not starting with a digit)`);
    }
    if (options.default !== undefined && /[\r\n]/.test(options.default)) {
      // Compose refuses the whole file ("invalid interpolation format"); a message may be reflowed, a value not.
      throw new UserError(
        `EnvRef ${name}: the default holds a line break, which Compose cannot read in \${${name}:-...} (invalid interpolation format): give a default on one line`,
      );
    }
    if (options.required !== undefined && options.default !== undefined) {
      throw new UserError(`EnvRef ${name}: give 'required' or 'default', not both (a default makes it never missing)`);
    }
    return new EnvRef(name, options);
  }

  private constructor(
    public readonly variable: string,
    private readonly options: EnvRefOptions,
  ) {
    Object.defineProperty(this, ENV_REF, { value: true });
  }

  /**
   * The Compose interpolation. Inside the message or default, `$` and `}` cannot be written (Compose
   * would read them), so they are left out; a line break makes Compose refuse the file, so in a message
   * it is a space (a default with one is refused by {@link EnvRef.of}).
   */
  public toComposeReference(): string {
    const clean = cleanInterpolationText;
    if (this.options.required !== undefined) return `\${${this.variable}:?${clean(this.options.required)}}`;
    if (this.options.default !== undefined) return `\${${this.variable}:-${clean(this.options.default)}}`;
    return `\${${this.variable}}`;
  }
}

/** What a part of an {@link Interpolation} may be. */
export type InterpolationPart = string | number | Secret | EnvRef;

/**
 * Text with references in it, e.g. one argument `--requirepass=${REDIS_PASSWORD}`:
 * `` Interpolation.of`--requirepass=${Secret.fromEnv('REDIS_PASSWORD')}` ``. The text is escaped
 * (`$` -> `$$`), the references are not.
 */
export class Interpolation {
  public static isInterpolation(x: unknown): x is Interpolation {
    return typeof x === 'object' && x !== null && INTERPOLATION in x;
  }

  /** A tagged template: literal text, with {@link Secret}s and {@link EnvRef}s (or plain values) between. */
  public static of(strings: TemplateStringsArray, ...values: InterpolationPart[]): Interpolation {
    const parts: InterpolationPart[] = [];
    strings.forEach((s, i) => {
      if (s) parts.push(s);
      if (i < values.length) parts.push(values[i]!);
    });
    return new Interpolation(parts);
  }

  private constructor(public readonly parts: readonly InterpolationPart[]) {
    Object.defineProperty(this, INTERPOLATION, { value: true });
  }

  /** The secrets among the parts. */
  public get secrets(): Secret[] {
    return this.parts.filter((p): p is Secret => Secret.isSecret(p));
  }

  public toComposeString(): string {
    return this.parts.map((p) => renderComposeValue(p)).join('');
  }
}

/** A value that may hold references: a command or entrypoint argument, an environment value. */
export type ComposeValue = string | number | boolean | Secret | EnvRef | Interpolation;

/**
 * A value of an environment variable of a service: text (its `$` written `$$`, a literal dollar), a
 * {@link Secret}, or a reference to a variable ({@link EnvRef}, {@link Interpolation}).
 */
export type EnvValue = ComposeValue;

/**
 * A value as the compose file holds it: references as Compose interpolations, any other `$`
 * doubled, because Compose reads `$NAME` and `${NAME}` in every value of the file and `$$` is its
 * escape for a literal `$` (compose-spec, "Interpolation").
 */
export function renderComposeValue(v: ComposeValue): string {
  if (Secret.isSecret(v) || EnvRef.isEnvRef(v)) return v.toComposeReference();
  if (Interpolation.isInterpolation(v)) return v.toComposeString();
  return escapeDollar(String(v));
}

/** The secrets a value holds (a Secret, or those inside an Interpolation). */
export function secretsOf(v: ComposeValue): Secret[] {
  if (Secret.isSecret(v)) return [v];
  if (Interpolation.isInterpolation(v)) return v.secrets;
  return [];
}

/** `$` starts an interpolation in Compose: a literal one is written `$$`. */
export function escapeDollar(s: string): string {
  return s.replace(/\$/g, '$$$$');
}
