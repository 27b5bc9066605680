// Mistake: a misspelled import, Servce for Service
// Exit: 2
// Error: the stack file test/bad-input/load-failures/misspelled-import.ts failed to load: aixcl-cdk has no export 'Servce'; did you mean 'Service'? (at test/bad-input/load-failures/misspelled-import.ts:4:15)
import { App, Servce, Stack } from 'aixcl-cdk';

const app = new App();
new Servce(new Stack(app, 'shop'), 'web', { image: 'nginx:1.27' });
export default app;
