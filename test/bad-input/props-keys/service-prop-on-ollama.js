// Mistake: a Service prop given to a construct that makes its Service itself
// Exit: 2
// Error: [shop/ollama] environment is not a prop of Ollama: it is a prop of the Service that Ollama makes itself: set it with ollama.service.addEnvironment(name, value)
import { App, Duration, Grafana, Logging, Loki, Ollama, OpenWebUI, Postgres, Promtail, Service, Size, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27' });
new Ollama(stack, 'ollama', { environment: { OLLAMA_KEEP_ALIVE: '24h' } });

export default app;
