// Mistake: LogFormat.json(null) (it failed to load)
// Exit: 2
// Error: [shop/web] logFormat: the options of LogFormat.json() must be an object ({ level: 'severity', ... }), got null: leave them out for the defaults
import { App, Duration, LogFormat, Logging, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', logFormat: LogFormat.json(null) });
new Logging(stack, 'logging');

export default app;
