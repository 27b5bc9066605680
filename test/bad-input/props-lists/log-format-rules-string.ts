// Mistake: a log format's noise rule as a string instead of a list of { pattern, reason }
// Exit: 2
// Error: [shop/web] logFormat: rules must be a list of rules, got the string 'GET /health': write [{ pattern: 'GET /health', reason: 'healthcheck' }]
import { App, Duration, LogFormat, Logging, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', logFormat: LogFormat.json({ rules: 'GET /health' }) });
new Logging(stack, 'logging');

export default app;
