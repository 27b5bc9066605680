// Mistake: Grafana's port given as a string
// Exit: 2
// Error: [shop/grafana] port must be a number, got the string '3000': write 3000, without quotes
import { App, Duration, Grafana, Logging, Loki, Ollama, OpenWebUI, Postgres, Promtail, Service, Size, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27' });
new Grafana(stack, 'grafana', { port: '3000' });

export default app;
