// Mistake: the stack file awaits a promise that nothing resolves (Node would end with exit 0 and nothing written)
// Exit: 2
// Error: the stack file test/bad-input/load-failures/never-settles.js never finished loading: it awaits something that nothing will resolve (a promise that is never settled), and nothing else is left to run: resolve it, or drop the await
import { App, Service, Stack } from 'aixcl-cdk';

const app = new App();
new Service(new Stack(app, 'shop'), 'web', { image: 'nginx:1.27' });
await new Promise(() => {});
export default app;
