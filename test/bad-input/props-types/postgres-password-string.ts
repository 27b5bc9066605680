// Mistake: a password given as a string where a Secret is expected
// Exit: 2
// Error: [shop/postgres] password must be a Secret, got the string 'hunter2': write Secret.fromEnv('NAME'), so that the value is taken from the environment and never written into a file
import { App, Duration, Grafana, Logging, Loki, Ollama, OpenWebUI, Postgres, Promtail, Service, Size, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27' });
new Postgres(stack, 'postgres', { password: 'hunter2' });

export default app;
