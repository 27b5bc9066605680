// Mistake: a Prometheus alert on up{job="postgres-exporte"}: no scrape job has that name (the job is postgres-exporter), so the alert can never fire
// Exit: 2
// Error: [aixcl/database/ExporterDown] invalid PromQL at line 1, column 8: job="postgres-exporte" selects nothing: aixcl/prometheus only has job "alloy", "cadvisor", "grafana", "loki", "node-exporter", "postgres-exporter", "prometheus"; did you mean "postgres-exporter"?
// Error:     up{job="postgres-exporte"} == 0
// Error:            ^
import { AixclStack, App, PrometheusRuleGroup } from 'aixcl-cdk';

const app = new App();
const stack = new AixclStack(app, 'aixcl');
const rules = new PrometheusRuleGroup(stack, 'database', { prometheus: stack.prometheus });
rules.addAlert('ExporterDown', { expr: 'up{job="postgres-exporte"} == 0', service: stack.postgresExporter, summary: 'is not answering' });

export default app;
