// Mistake: the AIXCL alert rules given the node exporter by its service name
// Exit: 2
// Error: [shop/rules] nodeExporter must be a NodeExporter, got the string 'node-exporter': pass the NodeExporter construct (e.g. stack.nodeExporter)
import { AixclAlertRules, App, Logging, Prometheus, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const prometheus = new Prometheus(stack, 'prometheus');
const logging = new Logging(stack, 'logging', { loki: { ruler: { remoteWrite: prometheus } } });
new AixclAlertRules(stack, 'rules', { loki: logging.loki, collector: logging.collector, prometheus, nodeExporter: 'node-exporter' });

export default app;
