// Mistake: rule groups given the Loki and Prometheus by name, a rule's metric as a LogQL string, an alert's service by name, then a misspelt Service prop
// Exit: 2
// Error: [shop/api-errors] loki must be a Loki, got the string 'loki': pass the Loki construct itself (e.g. logging.loki), not its name or URL
// Error: [shop/api-volume/ApiLines] metric must be a LogMetric, got the string 'rate({compose_service="api"}[5m])': wrap a LogQL string in LogMetric.raw(...), or build it: LogMetric.count({ service, levels: [LogLevel.ERROR] })
// Error: [shop/up] prometheus must be a Prometheus, got the string 'prometheus': pass the Prometheus construct itself (the object that `new Prometheus(...)` returned)
// Error: [shop/down/LokiDown] service must be a Service (or a construct that has one, such as Postgres), got the string 'loki': pass the construct itself (the object that `new Service(...)` or `new Postgres(...)` returned), not its name
// Error: [shop/rules] loki must be a Loki, got the string 'loki': pass the Loki construct itself (e.g. logging.loki), not its name or URL
// Error: [shop/web] comand is not a prop of Service: did you mean command?
import { AixclAlertRules, App, LogMetric, Logging, Prometheus, PrometheusRuleGroup, RuleGroup, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const prometheus = new Prometheus(stack, 'prometheus');
const logging = new Logging(stack, 'logging', { loki: { ruler: { remoteWrite: prometheus } } });
const api = new Service(stack, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
// A group without its Loki still checks its rules; a rule without its metric reports nothing more.
const errors = new RuleGroup(stack, 'api-errors', { loki: 'loki' });
errors.addAlert('ApiErrors', { metric: LogMetric.count({ service: api }) });
const volume = new RuleGroup(stack, 'api-volume', { loki: logging.loki });
volume.addRecording('ApiLines', { metric: 'rate({compose_service="api"}[5m])' });
new PrometheusRuleGroup(stack, 'up', { prometheus: 'prometheus' }).addAlert('ApiDown', { expr: 'up{job="api"} == 0', service: api, summary: 'down' });
new PrometheusRuleGroup(stack, 'down', { prometheus }).addAlert('LokiDown', { expr: 'up{job="loki"} == 0', service: 'loki', summary: 'down' });
new AixclAlertRules(stack, 'rules', { loki: 'loki', collector: logging.collector, prometheus });
new Service(stack, 'web', { image: 'nginx:1.27', comand: ['nginx', '-g', 'daemon off;'] });

export default app;
