// Mistake: a dashboard query and a log alert select a service by a misspelled name (ollamma): no stream can ever have it
// Exit: 2
// Error: [shop/grafana/models] panel 'Model server', query A: invalid LogQL at line 1, column 42: compose_service="ollamma" selects nothing: shop/loki only receives compose_service "grafana", "loki", "ollama", "promtail"; did you mean "ollama"?
// Error:     {compose_project="shop", compose_service="ollamma"}
// Error:                                              ^
// Error: [shop/model-alerts/ModelErrors] invalid LogQL at line 1, column 101: compose_service="ollamma" selects nothing: shop/loki only receives compose_service "grafana", "loki", "ollama", "promtail"; did you mean "ollama"?
// Error:     sum by (compose_project, compose_service) (count_over_time({compose_project="shop", compose_service="ollamma"} | level="error" [5m])) > 0
// Error:                                                                                                         ^
import { App, Grafana, LogMetric, Loki, Promtail, RuleGroup, Service, Stack } from 'aixcl-cdk';
import { dashboard, logs, loki as lokiQuery } from 'aixcl-cdk/grafana-sdk';

const app = new App();
const stack = new Stack(app, 'shop');
const loki = new Loki(stack, 'loki');
new Promtail(stack, 'promtail', { loki });
new Service(stack, 'ollama', { image: 'ollama/ollama:0.5.7' });
const grafana = new Grafana(stack, 'grafana');
grafana.addLokiDatasource({ loki });
const panel = new logs.PanelBuilder()
  .title('Model server')
  .datasource({ type: 'loki', uid: 'loki' })
  .withTarget(new lokiQuery.DataqueryBuilder().refId('A').expr('{compose_project="shop", compose_service="ollamma"}'));
grafana.addDashboard('models', { dashboard: new dashboard.DashboardBuilder('Models').uid('models').withPanel(panel) });
const rules = new RuleGroup(stack, 'model-alerts', { loki });
rules.addAlert('ModelErrors', { metric: LogMetric.raw('sum by (compose_project, compose_service) (count_over_time({compose_project="shop", compose_service="ollamma"} | level="error" [5m])) > 0') });

export default app;
