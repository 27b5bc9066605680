// Mistake: a dashboard outside any Grafana, one with a file name Grafana would not read, a second logs and container metrics dashboard, then a memory limit as a string
// Exit: 2
// Error: [shop/grafana] already has a logs dashboard: add it once, or create another with new Dashboard(...)
// Error: [shop/grafana] already has a container metrics dashboard: add it once, or create another with new Dashboard(...)
// Error: [shop/grafana/Sales] file name 'Sales dashboard.json' must be a plain name ending in .json (letters, digits, '.', '_', '-')
// Error: [shop/Orders] has no Grafana: create the dashboard inside a Grafana, or pass { grafana }
// Error: [shop/web] memoryLimit must be a Size, got the string '512m': write Size.mebibytes(512)
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { App, Dashboard, Grafana, Loki, Prometheus, Promtail, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const loki = new Loki(stack, 'loki');
new Promtail(stack, 'promtail', { loki });
const prometheus = new Prometheus(stack, 'prometheus');
const grafana = new Grafana(stack, 'grafana');
const logsDs = grafana.addLokiDatasource({ loki });
const metricsDs = grafana.addPrometheusDatasource({ prometheus });
new Dashboard(stack, 'Orders', { dashboard: new dashboard.DashboardBuilder('Orders').uid('orders') });
grafana.addDashboard('Sales', { dashboard: new dashboard.DashboardBuilder('Sales').uid('sales'), fileName: 'Sales dashboard.json' });
grafana.addLogsDashboard({ datasource: logsDs });
grafana.addContainerMetricsDashboard({ datasource: metricsDs });
// The second ones are stand-ins: no second file, uid or link is reported.
const shopLogs = grafana.addLogsDashboard({ datasource: logsDs, project: 'elsewhere' });
grafana.addContainerMetricsDashboard({ datasource: metricsDs, logs: shopLogs });
new Service(stack, 'web', { image: 'nginx:1.27', memoryLimit: '512m' });

export default app;
