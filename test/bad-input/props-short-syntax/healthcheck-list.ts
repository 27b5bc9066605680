// Mistake: Compose's healthcheck test list where a Healthcheck is expected
// Exit: 2
// Error: [shop/web] healthcheck must be a Healthcheck, got a list: write Healthcheck.command(['curl', '-f', 'http://localhost/'])
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', healthcheck: ['CMD', 'curl', '-f', 'http://localhost/'] });

export default app;
