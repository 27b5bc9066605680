// Mistake: a service name with a space (one message, not a second from the schema)
// Exit: 2
// Error: [shop/web] service name 'web server' is invalid: use letters, digits, '.', '_' and '-'
import { App, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', serviceName: 'web server' });

export default app;
