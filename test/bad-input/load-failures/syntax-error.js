// Mistake: a JavaScript syntax error
// Exit: 2
// Error: the stack file test/bad-input/load-failures/syntax-error.js has a syntax error: test/bad-input/load-failures/syntax-error.js:8:72: Expected "}" but found "B"
import { App, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', environment: { A: '1' B: '2' } });
export default app;
