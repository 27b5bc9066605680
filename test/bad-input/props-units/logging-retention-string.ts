// Mistake: '7d' where a Duration is expected
// Exit: 2
// Error: [shop/logging] retention must be a Duration, got the string '7d': write Duration.days(7)
import { App, Duration, Grafana, Logging, Loki, Ollama, OpenWebUI, Postgres, Promtail, Service, Size, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27' });
new Logging(stack, 'logging', { retention: '7d' });

export default app;
