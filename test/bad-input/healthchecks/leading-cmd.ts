// Mistake: a leading 'CMD' in Healthcheck.command
// Exit: 2
// Error: [shop/web] healthcheck: Healthcheck.command() adds 'CMD' itself, so Docker would run a program named 'CMD': write Healthcheck.command(['curl', '-f', 'http://localhost/'])
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', healthcheck: Healthcheck.command(['CMD', 'curl', '-f', 'http://localhost/']) });

export default app;
