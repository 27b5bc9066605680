// Mistake: a healthcheck with 0 retries
// Exit: 2
// Error: [shop/web] healthcheck: timing: retries must be at least 1, got the number 0
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', healthcheck: Healthcheck.command(['true'], { retries: 0 }) });

export default app;
