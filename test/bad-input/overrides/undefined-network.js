// Mistake: an override joins a network the stack does not declare
// Exit: 2
// Error: [shop/web] services.web.networks (set by addOverride('networks')): 'nonexistent' is not a network of this stack (Compose refuses the file: service "web" refers to undefined network nonexistent): create it with new Network(stack, ...) and pass it in the service's networks (networks: 'default')
import { App, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const web = new Service(stack, 'web', { image: 'nginx:1.27' });
web.addOverride('networks', ['nonexistent']);

export default app;
