import { parser } from '@grafana/lezer-logql';
import { checkLogQL, type CheckLogQLOptions } from '../grafana/logql.js';

type Tree = ReturnType<typeof parser.parse>;
type SyntaxNode = Tree['topNode'];

/** A label matcher of a stream selector (`compose_service="postgres"`). */
export interface SelectorMatcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  /** The unquoted value. */
  readonly value: string;
}

/** A line filter (`|= "text"`, `!~ "regex"`, `|> "<_> pattern"`). */
export interface LineFilter {
  readonly op: '|=' | '!=' | '|~' | '!~' | '|>' | '!>';
  readonly value: string;
}

/** What a LogQL expression selects and computes, read from its syntax tree. */
export interface LogQLAnalysis {
  /** True for a metric query (a sample expression); false for a log query. */
  readonly isMetric: boolean;
  /** The matchers of each stream selector, in order. */
  readonly selectors: ReadonlyArray<readonly SelectorMatcher[]>;
  /** Every line filter of every pipeline. */
  readonly lineFilters: readonly LineFilter[];
  /** Labels named in label filters of pipelines (`| level="error"`). */
  readonly labelFilterLabels: readonly string[];
  /** Labels named in `by (...)` / `without (...)` groupings. */
  readonly groupingLabels: readonly string[];
  /** Each vector aggregation (`sum`, `avg`, `topk`, ...) with its grouping; labels it drops are gone from the result. */
  readonly aggregations: ReadonlyArray<{ readonly by?: readonly string[]; readonly without?: readonly string[] }>;
  /** True when a pipeline makes labels (`json`, `logfmt`, `regexp`, `pattern`, `unpack`, `label_format`). */
  readonly extractsLabels: boolean;
}

/**
 * Parses a LogQL query with the grammar Grafana's editor uses and reads what
 * it selects. Syntax is checked first ({@link checkLogQL}, which also applies
 * Loki's own rules on strings and selectors, and the label values of
 * `options`).
 * @returns the analysis, or a problem message
 */
export function analyzeLogQL(expr: string, options: CheckLogQLOptions = {}): { analysis?: LogQLAnalysis; problem?: string } {
  const problem = checkLogQL(expr, options);
  if (problem) return { problem };
  const tree = parser.parse(expr);
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);
  const top = tree.topNode.getChild('Expr');
  const isMetric = top?.firstChild?.name === 'MetricExpr';

  const selectors: SelectorMatcher[][] = [];
  const lineFilters: LineFilter[] = [];
  const labelFilterLabels: string[] = [];
  const groupingLabels: string[] = [];
  const aggregations: Array<{ by?: string[]; without?: string[] }> = [];
  let extractsLabels = false;
  tree.iterate({
    enter: (ref) => {
      const n = ref.node;
      switch (n.name) {
        case 'Selector': {
          const matchers: SelectorMatcher[] = [];
          collect(n, 'Matcher', (m) => matchers.push(matcherOf(m, text)));
          selectors.push(matchers);
          return false;
        }
        case 'LineFilter': {
          const op = text(n.getChild('Filter') ?? n).trim() as LineFilter['op'];
          const str = n.getChild('String');
          lineFilters.push({ op, value: str ? unquote(text(str)) : '' });
          return false;
        }
        case 'LabelFilter':
          collect(n, 'Identifier', (id) => labelFilterLabels.push(text(id)));
          return false;
        case 'LabelParser':
        case 'JsonExpressionParser':
        case 'LogfmtParser':
        case 'LogfmtExpressionParser':
        case 'LabelFormatExpr':
          extractsLabels = true;
          return false;
        case 'VectorAggregationExpr': {
          const g = n.getChild('Grouping');
          const labels: string[] = [];
          if (g) collect(g, 'Identifier', (id) => labels.push(text(id)));
          aggregations.push(g?.getChild('Without') ? { without: labels } : { by: labels });
          return undefined;
        }
        case 'Grouping':
          collect(n, 'Identifier', (id) => groupingLabels.push(text(id)));
          return false;
        default:
          return undefined;
      }
    },
  });
  return { analysis: { isMetric, selectors, lineFilters, labelFilterLabels, groupingLabels, aggregations, extractsLabels } };
}

function collect(n: SyntaxNode, name: string, fn: (n: SyntaxNode) => void): void {
  for (let c = n.firstChild; c; c = c.nextSibling) {
    if (c.name === name) fn(c);
    else collect(c, name, fn);
  }
}

function matcherOf(m: SyntaxNode, text: (n: SyntaxNode) => string): SelectorMatcher {
  const op = m.getChild('Eq') ? '=' : m.getChild('Neq') ? '!=' : m.getChild('Re') ? '=~' : '!~';
  const id = m.getChild('Identifier');
  const str = m.getChild('String');
  return { label: id ? text(id) : '', op, value: str ? unquote(text(str)) : '' };
}

/** The value of a LogQL string literal (already checked by {@link checkLogQL}). */
function unquote(lit: string): string {
  if (lit.startsWith('`')) return lit.slice(1, -1);
  return JSON.parse(
    lit.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1').replace(/\\([0-7]{3})/g, (_, o: string) => `\\u${parseInt(o, 8).toString(16).padStart(4, '0')}`),
  ) as string;
}
