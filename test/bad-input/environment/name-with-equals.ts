// Mistake: a variable name with '=' (NAME=value as the key)
// Exit: 2
// Error: [shop/web] environment['NGINX_PORT=80']: 'NGINX_PORT=80' is not a variable name (it holds '='): write { NGINX_PORT: '80' }
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', environment: { 'NGINX_PORT=80': '' } });

export default app;
