// Mistake: the stack file throws an Error
// Exit: 2
// Error: the stack file test/bad-input/load-failures/throws-an-error.ts failed to load: database host not configured (at test/bad-input/load-failures/throws-an-error.ts:7:7)
import { App } from 'aixcl-cdk';

const app = new App();
throw new Error('database host not configured');
export default app;
