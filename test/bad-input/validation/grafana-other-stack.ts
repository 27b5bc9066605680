// Mistake: a Grafana given the Loki and Prometheus of another stack, and a dashboard for that stack's Grafana, then a restart policy with '_'
// Exit: 2
// Error: [shop/grafana] cannot use Loki logs/loki: it is in another stack, whose services this Grafana cannot reach; create it in this Grafana's stack
// Error: [shop/grafana] cannot use Prometheus logs/prometheus: it is in another stack, whose services this Grafana cannot reach; create it in this Grafana's stack
// Error: [shop/Orders] its Grafana logs/grafana is in another stack: create the dashboard in the Grafana's stack
// Error: [shop/web] restart: the string 'unless_stopped' is not a RestartPolicy: did you mean RestartPolicy.UNLESS_STOPPED ('unless-stopped')?
// Error: [logs] host port 3000/tcp is used by logs/grafana/Service and shop/grafana/Service: give each service its own hostPort (the stacks of an app are deployed to the same Docker engine)
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { App, Dashboard, Grafana, Loki, Prometheus, Promtail, Service, Stack } from 'aixcl-cdk';

const app = new App();
const logs = new Stack(app, 'logs');
const loki = new Loki(logs, 'loki');
new Promtail(logs, 'promtail', { loki });
const prometheus = new Prometheus(logs, 'prometheus');
const logsGrafana = new Grafana(logs, 'grafana');

const shop = new Stack(app, 'shop');
const grafana = new Grafana(shop, 'grafana');
// Their stand-ins refer to nothing: the dashboards on them report nothing more.
grafana.addLogsDashboard({ datasource: grafana.addLokiDatasource({ loki }) });
grafana.addContainerMetricsDashboard({ datasource: grafana.addPrometheusDatasource({ prometheus }) });
new Dashboard(shop, 'Orders', { dashboard: new dashboard.DashboardBuilder('Orders').uid('orders'), grafana: logsGrafana });
new Service(shop, 'web', { image: 'nginx:1.27', restart: 'unless_stopped' });

export default app;
