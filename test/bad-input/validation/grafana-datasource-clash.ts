// Mistake: Grafana datasources whose uid or name clashes or is invalid (a dashboard uses one of the stand-ins), a maxLines of 0, then a host name for a host IP
// Exit: 2
// Error: [shop/grafana] datasource uid 'loki' is already used by shop/grafana/Datasource-loki: give each datasource of a Grafana its own uid
// Error: [shop/grafana] datasource name 'Loki' is already used by shop/grafana/Datasource-loki: give each datasource of a Grafana its own name
// Error: [shop/grafana] datasource uid 'loki logs' is invalid: use 1 to 40 letters, digits, '-' and '_' (dashboards reference it)
// Error: [shop/grafana] maxLines 0 must be a whole number of at least 1
// Error: [shop/db] ports[0].hostIp: 'localhost' is a host name, not an IP address, and Docker publishes a port whose host IP is not an IP on every interface: write '127.0.0.1' (or '::1')
import { App, Grafana, Loki, LokiDatasource, Promtail, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const loki = new Loki(stack, 'loki');
new Promtail(stack, 'promtail', { loki });
const grafana = new Grafana(stack, 'grafana');
grafana.addLokiDatasource({ loki });
// The same uid again: its stand-in still serves the logs dashboard, which reports nothing more.
const again = grafana.addLokiDatasource({ loki, name: 'Loki again' });
grafana.addLogsDashboard({ datasource: again });
grafana.addLokiDatasource({ loki, uid: 'loki-2', name: 'Loki' });
grafana.addLokiDatasource({ loki, uid: 'loki logs' });
new LokiDatasource(grafana, { loki, uid: 'loki-3', maxLines: 0 });
new Service(stack, 'db', { image: 'postgres:17.6', ports: [{ containerPort: 5432, hostIp: 'localhost' }] });

export default app;
