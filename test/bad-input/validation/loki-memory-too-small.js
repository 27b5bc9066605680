// Mistake: a Loki memory limit that gets it OOM-killed
// Exit: 2
// Error: [shop/logging/loki] memoryLimit of 96m is too small: Loki idles near 90 MiB and gets OOM-killed under load (a burst of pushes, a large query): give it at least 256 MiB, e.g. Size.mebibytes(512)
import { App, Duration, Grafana, Logging, Loki, Ollama, OpenWebUI, Postgres, Promtail, Service, Size, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27' });
new Logging(stack, 'logging', { loki: { memoryLimit: Size.mebibytes(96) } });

export default app;
