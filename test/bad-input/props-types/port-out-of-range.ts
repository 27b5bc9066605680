// Mistake: a port number above 65535
// Exit: 2
// Error: [shop/web] ports[0].hostPort must be at most 65535, got the number 80800
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', ports: [{ containerPort: 80, hostPort: 80800 }] });

export default app;
