// Mistake: Logging's retention given inside its loki settings
// Exit: 2
// Error: [shop/logging] loki.retention is not a prop of Logging loki: retention is a prop of Logging itself: move it up one level, out of loki
import { App, Duration, Grafana, Logging, Loki, Ollama, OpenWebUI, Postgres, Promtail, Service, Size, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27' });
new Logging(stack, 'logging', { loki: { retention: Duration.days(3) } });

export default app;
