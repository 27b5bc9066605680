// Mistake: a 'CMD-SHELL' list in Healthcheck.command
// Exit: 2
// Error: [shop/web] healthcheck: Healthcheck.command() got a 'CMD-SHELL' list: for a shell line write Healthcheck.shell('curl -f http://localhost/ || exit 1')
import { App, DependencyCondition, Healthcheck, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', healthcheck: Healthcheck.command(['CMD-SHELL', 'curl -f http://localhost/ || exit 1']) });

export default app;
