// Mistake: the stack function throws an object
// Exit: 2
// Error: the stack file test/bad-input/load-failures/throws-an-object.js threw while building the stack: it threw { code: 'NO_REGION', hint: 'pass -c region=...' }, which is not an Error
import { App, Service, Stack } from 'aixcl-cdk';

export default function ({ context }) {
  if (!context.region) throw { code: 'NO_REGION', hint: 'pass -c region=...' };
  const app = new App();
  new Service(new Stack(app, 'shop'), 'web', { image: 'nginx:1.27' });
  return app;
}
