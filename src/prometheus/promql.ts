import { parser } from '@prometheus-io/lezer-promql';
import { findVariableReferences, macroKind, MacroKind } from '../grafana/template-variables.js';

type Tree = ReturnType<typeof parser.parse>;
type SyntaxNode = Tree['topNode'];

/**
 * Checks the syntax of a PromQL expression with Prometheus's own grammar
 * (`@prometheus-io/lezer-promql`, which Prometheus's UI uses). Grafana's
 * macros (`$__rate_interval`, ...) are replaced by a value of their kind first.
 * @returns undefined when it parses, else a message with the column and an excerpt
 */
export function checkPromQL(expr: string): string | undefined {
  if (expr.trim() === '') return 'the query is empty';
  let text = '';
  let last = 0;
  const shifts: Array<{ at: number; delta: number }> = [];
  for (const ref of findVariableReferences(expr)) {
    const kind = macroKind(ref.name);
    const value = kind === MacroKind.DURATION ? '1m' : kind === MacroKind.NUMBER ? '60' : 'x';
    text += expr.slice(last, ref.start) + value;
    shifts.push({ at: text.length, delta: ref.end - ref.start - value.length });
    last = ref.end;
  }
  text += expr.slice(last);
  const tree = parser.parse(text);
  let error: SyntaxNode | undefined;
  tree.iterate({
    enter: (n) => {
      if (error) return false;
      if (n.type.isError) error = n.node;
      return undefined;
    },
  });
  if (!error) return undefined;
  const pos = error.from + shifts.filter((s) => s.at <= error!.from).reduce((a, s) => a + s.delta, 0);
  const rest = expr.slice(pos).trim();
  return `invalid PromQL at column ${pos + 1}: ${rest ? `unexpected '${rest.slice(0, 20)}'` : 'the query ends too early'}\n    ${expr}\n    ${' '.repeat(pos)}^`;
}
