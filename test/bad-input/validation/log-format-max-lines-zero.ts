// Mistake: multiline.maxLines 0: reported once, at the service (not again at the Promtail file)
// Exit: 2
// Error: [shop/web] logFormat: multiline.maxLines must be a whole number of at least 1 (got 0)
import { App, Duration, LogFormat, Logging, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', logFormat: LogFormat.json({ multiline: { firstLine: '^\\{', maxLines: 0 } }) });
new Logging(stack, 'logging');

export default app;
