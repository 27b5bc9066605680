// Mistake: Ollama's service name where the Ollama construct is expected
// Exit: 2
// Error: [shop/open-webui] ollama must be an Ollama, got the string 'ollama': pass the Ollama construct itself (the object that `new Ollama(...)` returned), not its name or URL
import { App, Duration, Grafana, Logging, Loki, Ollama, OpenWebUI, Postgres, Promtail, Service, Size, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27' });
new Ollama(stack, 'ollama');
new OpenWebUI(stack, 'open-webui', { ollama: 'ollama' });

export default app;
