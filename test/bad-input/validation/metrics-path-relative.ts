// Mistake: a metrics path without its leading '/': reported once, at the service, not again by prometheus.yml's check
// Exit: 2
// Error: [shop/api] metrics path 'metrics' of job 'api' must start with '/'
import { App, Prometheus, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'api', { image: 'nginx:1.27', ports: [{ containerPort: 8080 }], metrics: { port: 8080, path: 'metrics' } });
new Prometheus(stack, 'prometheus');

export default app;
