// Mistake: a sampling rate as a string: reported at the service, not in the Promtail file's words
// Exit: 2
// Error: [shop/web] logFormat: rules[0].keep must be a number, got the string '0.5': write 0.5, without quotes
import { App, Duration, LogFormat, Logging, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', logFormat: LogFormat.json({ rules: [{ pattern: 'GET /health', reason: 'healthcheck', keep: '0.5' }] }) });
new Logging(stack, 'logging');

export default app;
