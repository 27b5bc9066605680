// Mistake: a dashboard graphs compose_service:log_lines:rate1m, but the stack records compose_service:log_lines:rate5m: the panel stays empty
// Exit: 2
// Error: [aixcl/grafana/volume] panel 'Log lines per second', query A: invalid PromQL at line 1, column 27: no rule records 'compose_service:log_lines:rate1m' (a name with ':' is a recorded series), so it selects nothing in aixcl/prometheus: the rules of the stack record compose_service:log_lines:rate5m; did you mean 'compose_service:log_lines:rate5m'?
// Error:     sum by (compose_service) (compose_service:log_lines:rate1m)
// Error:                               ^
import { AixclStack, App } from 'aixcl-cdk';
import { dashboard, prometheus, timeseries } from 'aixcl-cdk/grafana-sdk';

const app = new App();
const stack = new AixclStack(app, 'aixcl');
const ds = { type: 'prometheus', uid: 'prometheus' };
const panel = new timeseries.PanelBuilder()
  .title('Log lines per second')
  .datasource(ds)
  .withTarget(new prometheus.DataqueryBuilder().datasource(ds).refId('A').expr('sum by (compose_service) (compose_service:log_lines:rate1m)'));
stack.grafana.addDashboard('volume', { dashboard: new dashboard.DashboardBuilder('Log volume').uid('volume').withPanel(panel) });

export default app;
