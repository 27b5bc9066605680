// Mistake: a bare port number in ports
// Exit: 2
// Error: [shop/web] ports[0]: the number 80 is Compose's short port syntax, which this API does not read: write { containerPort: 80 }
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', ports: [80] });

export default app;
