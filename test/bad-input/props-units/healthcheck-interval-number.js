// Mistake: a healthcheck interval as a number of seconds
// Exit: 2
// Error: [shop/web] healthcheck: timing: interval must be a Duration, got the number 30: write Duration.seconds(30) (or Duration.millis, minutes, hours, days)
import { App, DependencyCondition, Healthcheck, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', healthcheck: Healthcheck.command(['true'], { interval: 30 }) });

export default app;
