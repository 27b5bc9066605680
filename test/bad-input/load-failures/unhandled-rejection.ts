// Mistake: a promise the stack file starts and never awaits is rejected
// Exit: 2
// Error: the stack file test/bad-input/load-failures/unhandled-rejection.ts failed to load: no tags for nginx (at test/bad-input/load-failures/unhandled-rejection.ts:8:53)
import { App, Service, Stack } from 'aixcl-cdk';

const app = new App();
new Service(new Stack(app, 'shop'), 'web', { image: 'nginx:1.27' });
const lookUp = async (): Promise<string> => { throw new Error('no tags for nginx'); };
void lookUp();
export default app;
