// Mistake: a port number given as a string
// Exit: 2
// Error: [shop/web] ports[0].containerPort must be a number, got the string '8080': write 8080, without quotes
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', ports: [{ containerPort: '8080' }] });

export default app;
