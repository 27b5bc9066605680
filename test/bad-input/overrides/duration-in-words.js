// Mistake: an override writes durations in words (stop_grace_period, healthcheck interval)
// Exit: 2
// Error: [shop/web] services.web.healthcheck.interval (set by addOverride('healthcheck.interval')): "10 seconds" is not a duration Compose reads (Go's time.ParseDuration: unknown unit " seconds" in duration "10 seconds"): write a number with a unit, without spaces: ns, us, ms, s, m or h, such as '10s', '1m30s' or '24h' (no days: write 168h for 7d; or use Duration in the typed API)
// Error: [shop/web] services.web.stop_grace_period (set by addOverride('stop_grace_period')): "1 minute" is not a duration Compose reads (Go's time.ParseDuration: unknown unit " minute" in duration "1 minute"): write a number with a unit, without spaces: ns, us, ms, s, m or h, such as '10s', '1m30s' or '24h' (no days: write 168h for 7d; or use Duration in the typed API)
import { App, Healthcheck, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const web = new Service(stack, 'web', { image: 'nginx:1.27', healthcheck: Healthcheck.command(['true']) });
web.addOverride('stop_grace_period', '1 minute');
web.addOverride('healthcheck.interval', '10 seconds');

export default app;
