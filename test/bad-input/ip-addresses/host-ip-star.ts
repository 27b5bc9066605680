// Mistake: '*' as a host IP
// Exit: 2
// Error: [shop/web] ports[0].hostIp: the string '*' is not an IP address: write '0.0.0.0' to publish on every interface on purpose, or '127.0.0.1' for this host only
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', ports: [{ containerPort: 80, hostIp: '*' }] });

export default app;
