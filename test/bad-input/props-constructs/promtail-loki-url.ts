// Mistake: Loki's URL where the Loki construct is expected
// Exit: 2
// Error: [shop/promtail] loki must be a Loki, got the string 'http://loki:3100': pass the Loki construct itself (the object that `new Loki(...)` returned), not its name or URL
import { App, Duration, Grafana, Logging, Loki, Ollama, OpenWebUI, Postgres, Promtail, Service, Size, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27' });
const loki = new Loki(stack, 'loki');
new Promtail(stack, 'promtail', { loki: 'http://loki:3100' });

export default app;
