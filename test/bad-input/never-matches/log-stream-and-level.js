// Mistake: a dashboard query selects stream "sterr" (Docker's streams are stdout and stderr) and a rule keeps level "eror" (the levels are error, warn, info, debug): neither can match a line
// Exit: 2
// Error: [shop/grafana/errors] panel 'Errors', query A: invalid LogQL at line 1, column 34: stream=~"sterr|stdrr" selects nothing: shop/loki only receives stream "stdout", "stderr"
// Error:     {compose_project="shop", stream=~"sterr|stdrr"}
// Error:                                      ^
// Error: [shop/api-alerts/ApiErrors] invalid LogQL at line 1, column 116: level="eror" keeps no line: shop/loki only receives level "error", "warn", "info", "debug"; did you mean "error"?
// Error:     sum by (compose_project, compose_service) (count_over_time({compose_project="shop", compose_service="api"} | level="eror" [5m])) > 0
// Error:                                                                                                                        ^
import { App, Grafana, LogMetric, Loki, Promtail, RuleGroup, Service, Stack } from 'aixcl-cdk';
import { dashboard, logs, loki as lokiQuery } from 'aixcl-cdk/grafana-sdk';

const app = new App();
const stack = new Stack(app, 'shop');
const loki = new Loki(stack, 'loki');
new Promtail(stack, 'promtail', { loki });
new Service(stack, 'api', { image: 'nginx:1.27' });
const grafana = new Grafana(stack, 'grafana');
grafana.addLokiDatasource({ loki });
const panel = new logs.PanelBuilder()
  .title('Errors')
  .datasource({ type: 'loki', uid: 'loki' })
  .withTarget(new lokiQuery.DataqueryBuilder().refId('A').expr('{compose_project="shop", stream=~"sterr|stdrr"}'));
grafana.addDashboard('errors', { dashboard: new dashboard.DashboardBuilder('Errors').uid('errors').withPanel(panel) });
const rules = new RuleGroup(stack, 'api-alerts', { loki });
rules.addAlert('ApiErrors', { metric: LogMetric.raw('sum by (compose_project, compose_service) (count_over_time({compose_project="shop", compose_service="api"} | level="eror" [5m])) > 0') });

export default app;
