// Mistake: a Loki memory limit as '1g'
// Exit: 2
// Error: [shop/logging] loki.memoryLimit must be a Size, got the string '1g': write Size.gibibytes(1)
import { App, Duration, Grafana, Logging, Loki, Ollama, OpenWebUI, Postgres, Promtail, Service, Size, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27' });
new Logging(stack, 'logging', { loki: { memoryLimit: '1g' } });

export default app;
