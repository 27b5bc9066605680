// Mistake: a log alert counts over 1m and holds for 30s in a group evaluated every 2m: the lines between evaluations are never counted, and the for is checked only every 2m
// Exit: 2
// Error: [shop/api-alerts/ApiErrors] counts lines over 1m, less than the evaluation interval of 2m (its group's interval): the lines logged between two evaluations are never counted; use a window of at least 2m
// Error: [shop/api-alerts/ApiErrors] for: 30s is less than the evaluation interval of 2m (its group's interval): the condition is only checked every 2m, so the alert fires at the second evaluation that finds it, as with for: 2m; write for: 2m or more (Duration.seconds(0) fires at the first)
import { Alertmanager, App, Duration, LogMetric, Loki, Promtail, RuleGroup, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const alertmanager = new Alertmanager(stack, 'alertmanager');
const loki = new Loki(stack, 'loki', { ruler: { alertmanager } });
new Promtail(stack, 'promtail', { loki });
const api = new Service(stack, 'api', { image: 'nginx:1.27' });
const rules = new RuleGroup(stack, 'api-alerts', { loki, interval: Duration.minutes(2) });
rules.addAlert('ApiErrors', { metric: LogMetric.count({ service: api, window: Duration.minutes(1) }), for: Duration.seconds(30) });

export default app;
