// Mistake: a whole shell line as one argument
// Exit: 2
// Error: [shop/web] healthcheck: Healthcheck.command() got the whole line 'curl -f http://localhost/' as one argument, which Docker runs as ONE program name: write Healthcheck.command(['curl', '-f', 'http://localhost/']), or Healthcheck.shell('curl -f http://localhost/') if it needs a shell
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', healthcheck: Healthcheck.command(['curl -f http://localhost/']) });

export default app;
