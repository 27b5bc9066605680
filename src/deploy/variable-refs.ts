import type { MissingVariable } from './missing-variables.js';
/** One `${VAR}` reference in a service of the synthesized document (what Secret.fromEnv and EnvRef write). */
export interface VariableRef {
  readonly service: string;
  /** The setting it is in, as the record names it: `environment.WEB_PASSWORD`, `command`. */
  readonly setting: string;
  readonly variable: string;
  /** The message of `${NAME:?message}` / `${NAME?message}`: the variable must be set. */
  readonly required?: string;
}

/** `${NAME}`, `${NAME:-x}`, `${NAME:?msg}`... but not `$${...}`, which Compose leaves as a literal `${` (compose-spec interpolation). */
const REF = /(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?\?)([^}]*)|[^}]*)\}/g;

/**
 * The `${VAR}` references of the services, found in the document this tool
 * synthesized (not interpolated: Compose does that). Only to check that the
 * secrets are set before anything changes, and to say which settings came
 * from a variable.
 */
export function variableRefs(document: unknown): VariableRef[] {
  const out: VariableRef[] = [];
  const services = (document as { services?: Record<string, unknown> })?.services ?? {};
  for (const [service, def] of Object.entries(services)) {
    const walk = (v: unknown, setting: string): void => {
      if (typeof v === 'string') {
        for (const m of v.matchAll(REF)) out.push({ service, setting, variable: m[1]!, ...(m[2] ? { required: m[3] ?? '' } : {}) });
      } else if (Array.isArray(v)) {
        // `- NAME=value` entries of environment and labels are settings of their own.
        for (const x of v)
          walk(x, /^(environment|labels)$/.test(setting) && typeof x === 'string' && x.includes('=') ? `${setting}.${x.split('=')[0]}` : setting);
      } else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) walk(x, setting ? (/^(environment|labels)$/.test(setting) ? `${setting}.${k}` : setting) : k);
      }
    };
    walk(def, '');
  }
  return out;
}

/** The required variables that are unset or empty, each with the services that use it. */
export function missingRequired(refs: readonly VariableRef[], env: NodeJS.ProcessEnv): MissingVariable[] {
  return refs
    .filter((r) => r.required !== undefined && !env[r.variable])
    .map((r) => ({ variable: r.variable, message: r.required ?? '', services: [r.service] }));
}
