// Mistake: alert rules with a log query as written (LogMetric.raw), a lookbehind in a pattern and a label name with '-': each reported once, at its rule (not again by the rule file's check, nor 'cannot name the service' for a query that does not parse)
// Exit: 2
// Error: [shop/shop-alerts/ApiRaw] invalid LogQL at line 1, column 1: a binary operator (or, and, unless, +, ...) combines metric queries, not log queries: wrap the log query in a range function such as count_over_time({...}[5m])
// Error:     {compose_service="api"} |= "timeout" > 1
// Error:     ^
// Error: [shop/shop-alerts/ApiTimeouts] invalid LogQL at line 1, column 100: regex "(?<=foo)bar(" does not compile in Go's RE2 (error parsing regexp: invalid named capture: `(?<=foo)bar(`): RE2 has no lookahead or lookbehind; match the text itself, or filter with a second stage (!= "..." or !~ "...")
// Error:     sum by (compose_project, compose_service) (rate({compose_project="shop", compose_service="api"} |~ "(?<=foo)bar(" [5m])) > 1
// Error:                                                                                                        ^
// Error: [shop/shop-alerts/ApiErrors] 'bad-name' is not a valid label or annotation name (letters, digits and '_', not starting with a digit)
import { App, LogMetric, Loki, Promtail, RuleGroup, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const loki = new Loki(stack, 'loki');
new Promtail(stack, 'promtail', { loki });
const api = new Service(stack, 'api', { image: 'nginx:1.27' });
const rules = new RuleGroup(stack, 'shop-alerts', { loki });
rules.addAlert('ApiRaw', { metric: LogMetric.raw('{compose_service="api"} |= "timeout"'), threshold: 1 });
rules.addAlert('ApiTimeouts', { metric: LogMetric.rate({ service: api, pattern: '(?<=foo)bar(' }), threshold: 1 });
rules.addAlert('ApiErrors', { metric: LogMetric.rate({ service: api, pattern: 'error' }), threshold: 1, labels: { 'bad-name': 'x' } });

export default app;
