// Mistake: a multi-line wait as a number of milliseconds
// Exit: 2
// Error: [shop/web] logFormat: multiline.maxWait must be a Duration, got the number 500: write Duration.millis(500) (or Duration.seconds(...))
import { App, Duration, LogFormat, Logging, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', logFormat: LogFormat.json({ multiline: { firstLine: '^\\{', maxWait: 500 } }) });
new Logging(stack, 'logging');

export default app;
