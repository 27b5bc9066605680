// Mistake: an override makes the service depend on a service the stack does not have
// Exit: 2
// Error: [shop/web] services.web.depends_on (set by addOverride('depends_on')): 'ghost' is not a service of this stack (Compose refuses the file: service "web" depends on undefined service "ghost"): name a service of the stack, or use addDependency() with the Service (services: 'web')
import { App, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const web = new Service(stack, 'web', { image: 'nginx:1.27' });
web.addOverride('depends_on', ['ghost']);

export default app;
