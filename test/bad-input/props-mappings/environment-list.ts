// Mistake: environment as a list of NAME=value strings
// Exit: 2
// Error: [shop/web] environment must be a mapping of variable name to value, got a list: write { NGINX_PORT: '80', NGINX_HOST: 'shop' }
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', environment: ['NGINX_PORT=80', 'NGINX_HOST=shop'] });

export default app;
