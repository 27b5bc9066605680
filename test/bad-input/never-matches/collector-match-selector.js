// Mistake: a collector's match stage, changed by an override, selects a service the stack does not have
// Exit: 2
// Error: [aixcl/logging/alloy/Config] the Alloy config would not load (check addOverride/addComponent): loki.process "formats" > stage.match > selector: invalid LogQL at line 1, column 18: compose_service="postgress" selects nothing: aixcl/logging/loki only receives compose_service "alloy", "cadvisor", "grafana", "loki", "node-exporter", "ollama", "open-webui", "pgadmin", "postgres", "postgres-exporter", "prometheus"; did you mean "postgres"?
// Error:     {compose_service="postgress"}
// Error:                      ^
import { AixclStack, App } from 'aixcl-cdk';

const app = new App();
const stack = new AixclStack(app, 'aixcl');
stack.logging.alloy.config.addOverride('loki.process "formats"', 'stage.match.selector', '{compose_service="postgress"}');

export default app;
