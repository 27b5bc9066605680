// Mistake: a misspelt key inside a port ('hostIP')
// Exit: 2
// Error: [shop/web] ports[0].hostIP is not a prop of Service ports[0]: did you mean hostIp?
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', ports: [{ containerPort: 80, hostIP: '127.0.0.1' }] });

export default app;
