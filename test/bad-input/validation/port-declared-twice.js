// Mistake: one port declared twice
// Exit: 2
// Error: [shop/web] port 80/tcp is declared twice: declare each port once
import { App, DependencyCondition, Healthcheck, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', ports: [{ containerPort: 80 }, { containerPort: 80 }] });

export default app;
