// Mistake: a healthcheck given as a shell string
// Exit: 2
// Error: [shop/web] healthcheck must be a Healthcheck, got the string 'curl -f http://localhost/': write Healthcheck.shell('curl -f http://localhost/'), or Healthcheck.command([...]) without a shell
import { App, DependencyCondition, Healthcheck, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', healthcheck: 'curl -f http://localhost/' });

export default app;
