// Mistake: one host port for two services
// Exit: 2
// Error: [shop] host port 3000/tcp is used by shop/a and shop/b: give each service its own hostPort
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'a', { image: 'nginx:1.27', ports: [{ containerPort: 80, hostPort: 3000 }] });
new Service(stack, 'b', { image: 'nginx:1.27', ports: [{ containerPort: 3000 }] });

export default app;
