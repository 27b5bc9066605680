// Mistake: a negative size, Size.mebibytes(-1)
// Exit: 2
// Error: the stack file test/bad-input/load-failures/size-negative.ts failed to load: Size.mebibytes(-1) is not a size: give a number of 0 or more (at test/bad-input/load-failures/size-negative.ts:7:85)
import { App, Service, Size, Stack } from 'aixcl-cdk';

const app = new App();
new Service(new Stack(app, 'shop'), 'api', { image: 'nginx:1.27', memoryLimit: Size.mebibytes(-1) });
export default app;
