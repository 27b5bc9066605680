// Mistake: the enum member's name ('HOST') where its value is expected
// Exit: 2
// Error: [shop] networkMode: the string 'HOST' is not a NetworkMode: did you mean NetworkMode.HOST ('host')?
import { App, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop', { networkMode: 'HOST' });
new Service(stack, 'web', { image: 'nginx:1.27' });

export default app;
