// Mistake: a network name in networks
// Exit: 2
// Error: [shop/web] networks[0] must be a Network, got the string 'backend': pass the Network construct itself (the object that `new Network(...)` returned), not its name or URL
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
import { Network } from 'aixcl-cdk';
new Network(stack, 'backend');
new Service(stack, 'web', { image: 'nginx:1.27', networks: ['backend'] });

export default app;
