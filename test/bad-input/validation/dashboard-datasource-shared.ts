// Mistake: a dashboard's panel and its query given one datasource object with a uid Grafana does not provision, another's given a datasource name: each reported once, naming every place, on one line
// Exit: 2
// Error: [shop/grafana/d] references datasource uid 'prom', which this Grafana does not provision: panel 'Requests' and its query A must use one of {type: 'prometheus', uid: 'prometheus'}
// Error: [shop/grafana/e] panel 'Requests' and its query A reference datasource 'Prometheus' by name: Grafana resolves names only by chance; write {type, uid} of a datasource this Grafana provisions: {type: 'prometheus', uid: 'prometheus'}
import { App, Grafana, Prometheus, Stack } from 'aixcl-cdk';
import { dashboard, prometheus, timeseries } from 'aixcl-cdk/grafana-sdk';

const app = new App();
const stack = new Stack(app, 'shop');
const grafana = new Grafana(stack, 'grafana');
grafana.addPrometheusDatasource({ prometheus: new Prometheus(stack, 'prometheus') });
for (const [id, ds] of [
  ['d', { type: 'prometheus', uid: 'prom' }],
  ['e', 'Prometheus' as unknown as { type: string; uid: string }],
] as const) {
  const panel = new timeseries.PanelBuilder()
    .title('Requests')
    .datasource(ds)
    .gridPos({ x: 0, y: 0, w: 24, h: 8 })
    .withTarget(new prometheus.DataqueryBuilder().datasource(ds).refId('A').expr('up'));
  grafana.addDashboard(id, { dashboard: new dashboard.DashboardBuilder(id).uid(id).withPanel(panel) });
}

export default app;
