// Mistake: an empty Healthcheck.shell
// Exit: 2
// Error: [shop/web] healthcheck: Healthcheck.shell() takes the shell line as one non-empty string, got the string ''
import { App, DependencyCondition, Healthcheck, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', healthcheck: Healthcheck.shell('') });

export default app;
