// Mistake: no default export
// Exit: 2
// Error: the stack file test/bad-input/load-failures/no-default-export.js has no default export (it exports app): end it with `export default app` (an App or a Stack, or a function returning one)
import { App, Service, Stack } from 'aixcl-cdk';

const app = new App();
new Service(new Stack(app, 'shop'), 'web', { image: 'nginx:1.27' });
export { app };
