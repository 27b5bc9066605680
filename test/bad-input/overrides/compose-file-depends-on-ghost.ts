// Mistake: a ComposeFile override waits for a service the stack does not have
// Exit: 2
// Error: [shop/ComposeFile] services.web.depends_on (set by addOverride('services.web.depends_on.ghost.condition')): 'ghost' is not a service of this stack (Compose refuses the file: service "web" depends on undefined service "ghost"): name a service of the stack, or use addDependency() with the Service (services: 'web')
import { App, ComposeFile, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27' });
ComposeFile.of(stack).addOverride('services.web.depends_on.ghost.condition', 'service_started');

export default app;
