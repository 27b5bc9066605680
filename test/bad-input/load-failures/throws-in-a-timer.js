// Mistake: the stack file fails in a callback that runs just after it loaded (before, the files were written, then a trace)
// Exit: 2
// Error: the stack file test/bad-input/load-failures/throws-in-a-timer.js failed to load: the registry did not answer (at test/bad-input/load-failures/throws-in-a-timer.js:8:26)
import { App, Service, Stack } from 'aixcl-cdk';

const app = new App();
new Service(new Stack(app, 'shop'), 'web', { image: 'nginx:1.27' });
setTimeout(() => { throw new Error('the registry did not answer'); }, 0);
export default app;
