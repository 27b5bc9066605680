// Mistake: a prop Service does not have
// Exit: 2
// Error: [shop/web] replicas is not a prop of Service: remove it (the props are image, serviceName, command, entrypoint, environment, ports, healthcheck, restart, memoryLimit, user, labels, networks, metrics, optional, otlp, logFormat)
import { App, DependencyCondition, Healthcheck, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', replicas: 3 });

export default app;
