// Mistake: a misspelt Logging prop ('retension')
// Exit: 2
// Error: [shop/logging] retension is not a prop of Logging: did you mean retention?
import { App, Duration, Grafana, Logging, Loki, Ollama, OpenWebUI, Postgres, Promtail, Service, Size, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27' });
new Logging(stack, 'logging', { retension: Duration.days(3) });

export default app;
