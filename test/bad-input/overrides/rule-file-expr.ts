// Mistake: a rule file's expression replaced through addOverride with a log query, on a rule that has a mistake of its own: the override's mistake is the file's, reported as well
// Exit: 2
// Error: [shop/shop-alerts/Api-Errors] alert name 'Api-Errors' is not usable as the alertname label value routes match: use letters, digits and '_' (e.g. PostgresErrors)
// Error: [shop/shop-alerts/File] the rule file would not load in Loki's ruler (check addOverride calls): groups[0].rules[0].expr: is a log query; Loki fails every evaluation of a rule that is not a metric query
import { App, LogMetric, Loki, Promtail, RuleGroup, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const loki = new Loki(stack, 'loki');
new Promtail(stack, 'promtail', { loki });
const api = new Service(stack, 'api', { image: 'nginx:1.27' });
const rules = new RuleGroup(stack, 'shop-alerts', { loki });
rules.addAlert('Api-Errors', { metric: LogMetric.rate({ service: api, pattern: 'error' }), threshold: 1 });
rules.file.addOverride('groups.0.rules.0.expr', '{compose_service="api"}');

export default app;
