// Mistake: the timestamp option given the field name only (it crashed synthesis)
// Exit: 2
// Error: [shop/web] logFormat: timestamp must be an object ({ field, format }), got the string 'ts': write { field: 'ts', format: 'RFC3339Nano' } (the format the lines write)
import { App, Duration, LogFormat, Logging, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', logFormat: LogFormat.json({ timestamp: 'ts' }) });
new Logging(stack, 'logging');

export default app;
