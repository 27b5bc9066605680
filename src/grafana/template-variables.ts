/**
 * Grafana's template syntax in query text: `$name`, `${name}`,
 * `${name:format}` and the deprecated `[[name]]` / `[[name:format]]`.
 */

/** One reference to a variable or macro in a query. */
export interface VariableReference {
  /** Index of the first character of the reference. */
  readonly start: number;
  /** Index after the last character. */
  readonly end: number;
  /** The name as written (without `$`), e.g. `service`, `__auto`, `__user.login`. */
  readonly name: string;
  /** The `:format` part, if any (e.g. `raw`, `regex`). */
  readonly format?: string;
}

/** What a Grafana macro expands to, which decides the value that stands in for it when a query is parsed. */
export enum MacroKind {
  /** A duration such as `1m` (`$__auto`, `$__interval`, `$__rate_interval`, `$__range`). */
  DURATION = 'duration',
  /** A number (`$__interval_ms`, `$__range_s`, `$__from`, ...). */
  NUMBER = 'number',
  /** Free text (`$__dashboard`, `$__user.login`, ...). */
  TEXT = 'text',
}

/**
 * Grafana's built-in variables that may appear in a Loki or Prometheus query.
 * https://grafana.com/docs/grafana/latest/dashboards/variables/add-template-variables/#global-variables
 */
export const GRAFANA_MACROS: Readonly<Record<string, MacroKind>> = {
  __auto: MacroKind.DURATION,
  __interval: MacroKind.DURATION,
  __rate_interval: MacroKind.DURATION,
  __range: MacroKind.DURATION,
  __interval_ms: MacroKind.NUMBER,
  __rate_interval_ms: MacroKind.NUMBER,
  __range_s: MacroKind.NUMBER,
  __range_ms: MacroKind.NUMBER,
  __from: MacroKind.NUMBER,
  __to: MacroKind.NUMBER,
  __dashboard: MacroKind.TEXT,
  __user: MacroKind.TEXT,
  __org: MacroKind.TEXT,
  __timezone: MacroKind.TEXT,
};

// `${name}` / `${name:format}`; `$name`; `[[name]]` / `[[name:format]]` (Grafana's own three forms).
const BRACED = /\$\{([A-Za-z0-9_.]+)(?::([^}]*))?\}/y;
// `$1` is no variable: Grafana leaves a reference to an unknown name as written, and no variable name is all digits,
// so a regex replacement's `$1` (label_replace, relabel) stays literal.
const PLAIN = /\$([A-Za-z0-9_]*[A-Za-z_][A-Za-z0-9_]*)/y;
const BRACKETS = /\[\[([A-Za-z0-9_.]+)(?::([^\]]*))?\]\]/y;

/** The reference that starts at `index` of `text`, if one does. */
export function variableReferenceAt(text: string, index: number): VariableReference | undefined {
  for (const re of [BRACED, PLAIN, BRACKETS]) {
    re.lastIndex = index;
    const m = re.exec(text);
    if (m) return { start: index, end: re.lastIndex, name: m[1], ...(m[2] !== undefined ? { format: m[2] } : {}) };
  }
  return undefined;
}

/** Every variable and macro reference in `text`, in order. */
export function findVariableReferences(text: string): VariableReference[] {
  const refs: VariableReference[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '$' && text[i] !== '[') continue;
    const ref = variableReferenceAt(text, i);
    if (ref) {
      refs.push(ref);
      i = ref.end - 1;
    }
  }
  return refs;
}

/** The kind of a built-in macro (`__user.login` counts as `__user`), or undefined for a dashboard variable. */
export function macroKind(name: string): MacroKind | undefined {
  return GRAFANA_MACROS[name.split('.')[0]];
}

/**
 * Checks the variables a query references against those the dashboard
 * declares. Returns one message per unknown name (each name once).
 */
export function unknownVariables(text: string, declared: readonly string[]): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const ref of findVariableReferences(text)) {
    const msg = unknownVariableMessage(ref, declared);
    if (msg && !seen.has(ref.name)) {
      seen.add(ref.name);
      problems.push(msg);
    }
  }
  return problems;
}

/** The problem with one reference, or undefined when it names a macro or a declared variable. */
export function unknownVariableMessage(ref: VariableReference, declared: readonly string[]): string | undefined {
  // Declared first: a data link's context declares `__value.raw`, `__field.labels.x`, ...
  if (declared.includes(ref.name)) return undefined;
  if (ref.name.startsWith('__')) {
    if (macroKind(ref.name)) return undefined;
    return `'${describe(ref)}' is not a Grafana macro (known: ${Object.keys(GRAFANA_MACROS)
      .map((m) => '$' + m)
      .join(', ')})`;
  }
  if (declared.includes(ref.name)) return undefined;
  // `$1` in a plain reference is a regex group (PromQL's label_replace, LogQL's label_format): Grafana
  // leaves a reference to a name no variable has as it is (TemplateSrv.replace returns the match).
  if (/^\d+$/.test(ref.name) && ref.end - ref.start === ref.name.length + 1) return undefined;
  return (
    `the query references the variable '${describe(ref)}', which the dashboard does not declare ` +
    `(declared: ${declared.length ? declared.map((d) => '$' + d).join(', ') : 'none'}): declare it or correct the name`
  );
}

function describe(ref: VariableReference): string {
  return `$${ref.name}`;
}
