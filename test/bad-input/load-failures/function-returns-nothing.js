// Mistake: the exported function builds the stack but returns nothing
// Exit: 2
// Error: the stack file test/bad-input/load-failures/function-returns-nothing.js does not export a stack; its default export is a function that returned undefined: return the App or a Stack from it
import { App, Service, Stack } from 'aixcl-cdk';

export default function ({ context }) {
  const app = new App();
  new Service(new Stack(app, context.project ?? 'shop'), 'web', { image: 'nginx:1.27' });
}
