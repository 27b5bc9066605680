// Mistake: log retention under Loki's minimum of 24h
// Exit: 2
// Error: [shop/logging/loki] retention of 12h is below Loki's minimum of 24h (the compactor deletes whole days of index): use Duration.days(1) or more
import { App, Duration, Grafana, Logging, Loki, Ollama, OpenWebUI, Postgres, Promtail, Service, Size, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27' });
new Logging(stack, 'logging', { retention: Duration.hours(12) });

export default app;
