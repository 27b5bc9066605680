// Mistake: Podman's socket path with $XDG_RUNTIME_DIR for Promtail
// Exit: 2
// Error: [shop/logging] promtail.dockerSocket: '$XDG_RUNTIME_DIR/podman/podman.sock' holds $XDG_RUNTIME_DIR, which Docker does not expand: write the path with its value (in a stack file: `${process.env.XDG_RUNTIME_DIR}/...`)
import { App, Duration, Grafana, Logging, Loki, Ollama, OpenWebUI, Postgres, Promtail, Service, Size, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27' });
new Logging(stack, 'logging', { promtail: { dockerSocket: '$XDG_RUNTIME_DIR/podman/podman.sock' } });

export default app;
