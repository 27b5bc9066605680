// Mistake: a Duration longer than Go's longest (about 292 years)
// Exit: 2
// Error: the stack file test/bad-input/props-units/duration-beyond-go.js failed to load: Duration.days(1000000) is longer than the longest duration Go programs read (2562047h47m16.854775807s, about 292 years: time.Duration is an int64 of nanoseconds), so Compose, Loki and Prometheus would refuse it: give a shorter duration (at test/bad-input/props-units/duration-beyond-go.js:8:114)
import { App, Duration, Healthcheck, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', healthcheck: Healthcheck.command(['true'], { interval: Duration.days(1e6) }) });

export default app;
