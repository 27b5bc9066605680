// Mistake: serviceName: null
// Exit: 2
// Error: [shop/web] serviceName must be a string, got null
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', serviceName: null });

export default app;
