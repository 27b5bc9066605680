// Mistake: a password written in clear
// Exit: 2
// Error: [shop/web] environment variable ADMIN_PASSWORD looks like a secret but is written in clear: use Secret.fromEnv('ADMIN_PASSWORD') so the value stays out of generated files
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', environment: { ADMIN_PASSWORD: 'admin' } });

export default app;
