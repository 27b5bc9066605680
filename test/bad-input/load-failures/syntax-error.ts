// Mistake: a TypeScript syntax error
// Exit: 2
// Error: the stack file test/bad-input/load-failures/syntax-error.ts has a syntax error: test/bad-input/load-failures/syntax-error.ts:7:98: Expected "}" but found ";"
import { App, Service, Stack } from 'aixcl-cdk';

const app = new App();
new Service(new Stack(app, 'shop'), 'web', { image: 'nginx:1.27', ports: [{ containerPort: 80 }] ;
export default app;
