// Mistake: one log format metadata field as a string (it was read as one field per character)
// Exit: 2
// Error: [shop/web] logFormat: metadata must be a list ([...]), got the string 'trace_id': write ['trace_id']
import { App, Duration, LogFormat, Logging, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', logFormat: LogFormat.json({ metadata: 'trace_id' }) });
new Logging(stack, 'logging');

export default app;
