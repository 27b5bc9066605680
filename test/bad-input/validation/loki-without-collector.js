// Mistake: a Loki that nothing ships logs to
// Exit: 2
// Error: [shop/loki] Loki has no log collector pushing to it: add a Promtail with { loki: <this> }
import { App, Duration, Grafana, Logging, Loki, Ollama, OpenWebUI, Postgres, Promtail, Service, Size, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27' });
new Loki(stack, 'loki');

export default app;
