// Mistake: two Apps, of which the stack file exports one (the other's stacks were left out without a word)
// Exit: 2
// Error: the stack file test/bad-input/load-failures/two-apps.js makes 2 Apps and exports one: 'shop' is in another App and would not be synthesized: make one App and create every Stack in it
import { App, Service, Stack } from 'aixcl-cdk';

const first = new App();
new Service(new Stack(first, 'shop'), 'web', { image: 'nginx:1.27' });
const app = new App();
new Service(new Stack(app, 'admin'), 'web', { image: 'nginx:1.27' });
export default app;
