// Mistake: a regex log format with an unbalanced bracket: reported at the service (it was only at the Promtail file)
// Exit: 2
// Error: [shop/api] logFormat: regex "^(?P<time>\\S+) (?P<level>[A-Z]+ " does not compile in Go's RE2 (error parsing regexp: missing closing ): `^(?P<time>\S+) (?P<level>[A-Z]+ `): balance the brackets, or escape a literal one with a backslash
import { App, LogFormat, Logging, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'api', { image: 'shop/api:1.2.0', logFormat: LogFormat.regex('^(?P<time>\\S+) (?P<level>[A-Z]+ ') });
new Logging(stack, 'logging');

export default app;
