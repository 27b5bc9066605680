// Mistake: a multi-line wait as '1s' (it was silently 250ms)
// Exit: 2
// Error: [shop/web] logFormat: multiline.maxWait must be a Duration, got the string '1s': write Duration.seconds(1)
import { App, Duration, LogFormat, Logging, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', logFormat: LogFormat.json({ multiline: { firstLine: '^\\{', maxWait: '1s' } }) });
new Logging(stack, 'logging');

export default app;
