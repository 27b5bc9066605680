// Mistake: datasources, a derived field and dashboards that use what another Grafana provisions, a derived field name used twice, then a misspelt Service prop
// Exit: 2
// Error: [shop/grafana] the metrics datasource shop/ops/Datasource-prometheus belongs to another Grafana (shop/ops): a derived field can only use a datasource this Grafana provisions; add a Prometheus datasource to this Grafana
// Error: [shop/grafana/Datasource-loki] derived field 'cpu' uses datasource shop/ops/Datasource-prometheus of another Grafana: use one this Grafana provisions
// Error: [shop/grafana/Datasource-loki] a derived field named 'order' already exists: give each its own name
// Error: [shop/grafana/Containers] its datasource shop/ops/Datasource-prometheus belongs to another Grafana (shop/ops): use a Prometheus datasource of shop/grafana
// Error: [shop/grafana/Containers] the logs dashboard shop/ops/LogsDashboard is provisioned by another Grafana: link to one of shop/grafana
// Error: [shop/ops/ShopLogs] its datasource shop/grafana/Datasource-loki belongs to another Grafana (shop/grafana): use a Loki datasource of shop/ops
// Error: [shop/web] comand is not a prop of Service: did you mean command?
import { App, ContainerMetricsDashboard, Grafana, LogsDashboard, Loki, Prometheus, Promtail, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const loki = new Loki(stack, 'loki');
new Promtail(stack, 'promtail', { loki });
const prometheus = new Prometheus(stack, 'prometheus');
const grafana = new Grafana(stack, 'grafana');
const ops = new Grafana(stack, 'ops', { serviceName: 'ops-grafana', port: 3001 });
const opsMetrics = ops.addPrometheusDatasource({ prometheus });
const opsLogs = ops.addLogsDashboard({ datasource: ops.addLokiDatasource({ loki }) });

const logsDs = grafana.addLokiDatasource({ loki, metrics: opsMetrics });
logsDs.addDerivedField({ name: 'cpu', matcherType: 'label', matcherRegex: '^container$', url: 'up', datasource: opsMetrics });
logsDs.addDerivedField({ name: 'order', matcherType: 'regex', matcherRegex: 'order=(\\d+)', url: 'https://shop.example/orders/${__value.raw}' });
logsDs.addDerivedField({ name: 'order', matcherType: 'regex', matcherRegex: 'id=(\\d+)', url: 'https://shop.example/orders/${__value.raw}' });
new LogsDashboard(ops, 'ShopLogs', { datasource: logsDs });
new ContainerMetricsDashboard(grafana, 'Containers', { datasource: opsMetrics, logs: opsLogs });
new Service(stack, 'web', { image: 'nginx:1.27', comand: ['nginx', '-g', 'daemon off;'] });

export default app;
