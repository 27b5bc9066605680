// Mistake: the default export is a Service, not its App
// Exit: 2
// Error: the stack file test/bad-input/load-failures/default-export-service.ts does not export a stack; its default export is a Service (shop/web): export its App or Stack instead
import { App, Service, Stack } from 'aixcl-cdk';

const app = new App();
export default new Service(new Stack(app, 'shop'), 'web', { image: 'nginx:1.27' });
