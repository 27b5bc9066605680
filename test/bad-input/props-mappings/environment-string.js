// Mistake: environment as one string
// Exit: 2
// Error: [shop/web] environment must be a mapping of variable name to value ({ NAME: 'value' }), got the string 'NGINX_PORT=80'
import { App, DependencyCondition, Healthcheck, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', environment: 'NGINX_PORT=80' });

export default app;
