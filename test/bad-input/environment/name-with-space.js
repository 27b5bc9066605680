// Mistake: a variable name with a space
// Exit: 2
// Error: [shop/web] environment['NGINX PORT']: 'NGINX PORT' is not a variable name (it holds white space): use letters, digits and '_', e.g. NGINX_PORT
import { App, DependencyCondition, Healthcheck, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', environment: { 'NGINX PORT': '80' } });

export default app;
