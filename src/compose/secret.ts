import type { IConstruct } from 'constructs';
import { UserError } from '../core/errors.js';

const SECRET = Symbol.for('aixcl-cdk.Secret');

/**
 * A secret value, never written into a generated file: the file holds a
 * `${NAME}` reference that Compose (or aixcl-deploy) fills from the
 * environment or a `.env` file when the stack starts.
 */
export class Secret {
  public static isSecret(x: unknown): x is Secret {
    return typeof x === 'object' && x !== null && SECRET in x;
  }

  /**
   * A secret read from the environment variable `name`. Starting the stack
   * without it fails with a message naming the variable, rather than
   * falling back to a guessable default.
   */
  public static fromEnv(name: string, description?: string): Secret {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new UserError(`'${name}' is not an environment variable name (letters, digits and '_', not starting with a digit)`);
    }
    return new Secret(name, description);
  }

  private constructor(
    public readonly variable: string,
    public readonly description: string | undefined,
  ) {
    Object.defineProperty(this, SECRET, { value: true });
  }

  /** The Compose interpolation that stands for the value. */
  public toComposeReference(): string {
    // `:?` makes Compose stop with this message when the variable is unset or empty.
    // `}` would end the reference and `$` start another; a line break makes Compose refuse the whole file
    // ("invalid interpolation format"): those are left out, line breaks written as spaces.
    const why = cleanInterpolationText(this.description ?? `set ${this.variable} in the environment or a .env file`);
    return `\${${this.variable}:?${why}}`;
  }
}

/** Text that can stand in a Compose interpolation's message or default: no `}` or `$`, no line breaks. */
export function cleanInterpolationText(s: string): string {
  return s.replace(/[}$]/g, '').replace(/\s*[\r\n]+\s*/g, ' ');
}

/** Names of variables that hold secrets by convention: they must be given as {@link Secret}. */
export const SECRET_NAME_PATTERN = /(PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|PRIVATE_KEY|CREDENTIALS)/i;

/**
 * Names that hold the secret itself, ending with its word (`DB_PASSWORD`, `API_KEY`): a number or a
 * boolean under such a name is a secret in clear; under another (`TOKEN_TTL`, `PASSWORD_RESET`) a setting.
 */
export const SECRET_VALUE_NAME_PATTERN = /(PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|PRIVATE_KEY|CREDENTIALS)$/i;

/** The environment variables the secrets of a stack's services come from, sorted. */
export function secretVariables(stack: IConstruct): string[] {
  const names = new Set<string>();
  for (const c of stack.node.findAll()) {
    const env = (c as { secretEnvironment?: () => Iterable<Secret> }).secretEnvironment;
    if (typeof env === 'function') for (const secret of env.call(c)) names.add(secret.variable);
  }
  return [...names].sort();
}
