// Mistake: one network given where a list is expected
// Exit: 2
// Error: [shop/web] networks must be a list ([...]), got the construct shop/backend
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
import { Network } from 'aixcl-cdk';
const backend = new Network(stack, 'backend');
new Service(stack, 'web', { image: 'nginx:1.27', networks: backend });

export default app;
