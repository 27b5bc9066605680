// Mistake: the stack file throws a string
// Exit: 2
// Error: the stack file test/bad-input/load-failures/throws-a-string.ts failed to load: it threw 'SHOP_DOMAIN is not set', which is not an Error
import { App } from 'aixcl-cdk';

const app = new App();
if (!process.env.AIXCL_CORPUS_NOT_SET) throw 'SHOP_DOMAIN is not set';
export default app;
