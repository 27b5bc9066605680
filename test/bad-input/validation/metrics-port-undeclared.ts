// Mistake: a metrics port that is not declared
// Exit: 2
// Error: [shop/web] metrics port 9113 is not one of the service's ports: add it to 'ports'
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', metrics: { port: 9113 } });

export default app;
