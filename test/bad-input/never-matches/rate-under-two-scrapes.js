// Mistake: a Prometheus alert takes rate() over 20s of a job scraped every 15s: fewer than two samples, so it never returns anything
// Exit: 2
// Error: [shop/api-metrics/ApiErrors] rate(http_errors_total[20s]) covers less than two scrapes of its series (scraped every 15s, shop/prometheus's scrapeInterval), so it returns nothing: rate() needs two samples in its range; use a range of at least 30s (four scrape intervals, 1m, survive a missed scrape)
import { Alertmanager, App, Prometheus, PrometheusRuleGroup, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const api = new Service(stack, 'api', { image: 'nginx:1.27', ports: [{ containerPort: 8080 }], metrics: { port: 8080 } });
const prometheus = new Prometheus(stack, 'prometheus');
prometheus.sendAlertsTo(new Alertmanager(stack, 'alertmanager'));
const rules = new PrometheusRuleGroup(stack, 'api-metrics', { prometheus });
rules.addAlert('ApiErrors', { expr: 'rate(http_errors_total{job="api"}[20s]) > 0', service: api, summary: 'serves errors' });

export default app;
