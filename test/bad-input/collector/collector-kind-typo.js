// Mistake: the collector named by a misspelt string
// Exit: 2
// Error: [shop/logging] collector: the string 'aloy' is not a CollectorKind: did you mean CollectorKind.ALLOY ('alloy')?
import { App, Logging, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27' });
new Logging(stack, 'logging', { collector: 'aloy' });

export default app;
