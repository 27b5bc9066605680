// Mistake: log format options misspelt (levle, multline): not silently ignored
// Exit: 2
// Error: [shop/web] logFormat: levle is not a prop of LogFormat.json(): did you mean level?
// Error: [shop/web] logFormat: multline is not a prop of LogFormat.json(): did you mean multiline?
import { App, Duration, LogFormat, Logging, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', logFormat: LogFormat.json({ levle: 'severity', multline: { firstLine: '^\\{' } }) });
new Logging(stack, 'logging');

export default app;
