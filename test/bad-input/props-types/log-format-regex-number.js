// Mistake: LogFormat.regex() given a number (it failed to load)
// Exit: 2
// Error: [shop/web] logFormat: LogFormat.regex() takes an RE2 expression with named groups (or a list of them), got the number 42: write e.g. LogFormat.regex('^(?P<time>\\S+) (?P<level>[A-Z]+) ')
import { App, Duration, LogFormat, Logging, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', logFormat: LogFormat.regex(42) });
new Logging(stack, 'logging');

export default app;
