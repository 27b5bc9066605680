// Mistake: a Promtail version that does not exist
// Exit: 2
// Error: [shop/logging/promtail] image 'grafana/promtail:3.7.0' does not exist: Promtail's last release line is 3.6.x (it is end-of-life and was removed in Loki 3.7); use grafana/promtail:3.6.15 (or move to Grafana Alloy, Promtail's successor)
import { App, Duration, Grafana, Logging, Loki, Ollama, OpenWebUI, Postgres, Promtail, Service, Size, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27' });
new Logging(stack, 'logging', { promtail: { image: 'grafana/promtail:3.7.0' } });

export default app;
