import { DeployError } from './errors.js';

/** A required variable (`${NAME:?message}`, or a secret's source) that is unset or empty. */
export interface MissingVariable {
  readonly variable: string;
  /** What the reference says (`${NAME:?message}`); empty for none. */
  readonly message: string;
  /** The services that use it; empty when it is used outside any service. */
  readonly services: readonly string[];
  /** Where it is used, for a use outside the services (`secrets.grafana_admin_password.environment`). */
  readonly path?: string;
}

/**
 * The one error for required variables that are not set (Compose's `up`, the Swarm deploy, the
 * in-process interpolation all refuse with it): every variable at once, sorted, each with its message
 * and who uses it, then where to set them. `why` says what the variables become, where that matters.
 */
export function missingVariablesError(missing: readonly MissingVariable[], why?: string): DeployError {
  const byVariable = new Map<string, MissingVariable>();
  for (const m of missing) {
    const seen = byVariable.get(m.variable);
    byVariable.set(m.variable, seen ? { ...seen, services: [...new Set([...seen.services, ...m.services])] } : m);
  }
  const lines = [...byVariable.values()]
    .sort((a, b) => (a.variable < b.variable ? -1 : 1))
    .map((m) => {
      const where = m.services.length ? `used by ${[...m.services].sort().join(', ')}` : `at ${m.path ?? 'the compose file'}`;
      return `  ${m.variable}: ${m.message || `set ${m.variable}`} (${where})`;
    });
  const n = byVariable.size;
  return new DeployError(
    `${n === 1 ? 'a required variable is' : `${n} required variables are`} not set${why ? ` (${why})` : ''}; nothing was changed:\n${lines.join('\n')}\n` +
      `Set ${n === 1 ? 'it' : 'them'} in the environment or in a .env file in the current directory.`,
  );
}
