// Mistake: a timestamp format that is neither Promtail's name nor a Go layout (Promtail would parse no line)
// Exit: 2
// Error: [shop/web] logFormat: timestamp.format: 'YYYY-MM-DD HH:mm:ss' is not a Go layout (Promtail would parse no line with it): did you mean '2006-01-02 15:04:05'? (a Go layout writes the reference time Mon Jan 2 15:04:05 -0700 MST 2006 the way the lines do)
import { App, Duration, LogFormat, Logging, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', logFormat: LogFormat.json({ timestamp: { field: 'ts', format: 'YYYY-MM-DD HH:mm:ss' } }) });
new Logging(stack, 'logging');

export default app;
