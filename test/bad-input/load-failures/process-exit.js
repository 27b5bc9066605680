// Mistake: the stack file calls process.exit() when a variable is not set
// Exit: 2
// Error: the stack file test/bad-input/load-failures/process-exit.js called process.exit(1) while building the stack (at test/bad-input/load-failures/process-exit.js:7:48): throw an Error instead, so the CLI can report it
import { App, Service, Stack } from 'aixcl-cdk';

const app = new App();
if (!process.env.AIXCL_CORPUS_NOT_SET) process.exit(1);
new Service(new Stack(app, 'shop'), 'web', { image: 'nginx:1.27' });
export default app;
