// Mistake: two services with one name
// Exit: 2
// Error: [shop] service name 'web' is used by shop/a and shop/b: names must be unique in a stack
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'a', { image: 'nginx:1.27', serviceName: 'web' });
new Service(stack, 'b', { image: 'nginx:1.27', serviceName: 'web' });

export default app;
