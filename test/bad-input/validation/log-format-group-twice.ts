// Mistake: a regex log format that names one group in two alternatives (Go compiles it; Promtail keeps the last group's value)
// Exit: 2
// Error: [shop/worker] logFormat: the regex names group 'level' more than once; Promtail keeps the last one's value ('' when that branch did not match): use one group around the alternatives, e.g. (?P<level>ERROR|WARN)
import { App, LogFormat, Logging, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'worker', {
  image: 'acme/worker:1',
  logFormat: LogFormat.regex(String.raw`^(?P<level>ERROR)|^(?P<level>WARN)`, { level: 'level' }),
});
new Logging(stack, 'logging');

export default app;
