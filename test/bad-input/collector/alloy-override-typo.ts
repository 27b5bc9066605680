// Mistake: an override of the Alloy config with a misspelt argument
// Exit: 2
// Error: [shop/logging/alloy/Config] the Alloy config would not load (check addOverride/addComponent): loki.write "loki" > endpoint > batch_sise: unknown attribute 'batch_sise' in loki.write "loki" > endpoint; did you mean 'batch_size'?
import { App, Logging, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27' });
const logging = new Logging(stack, 'logging');
logging.alloy?.config.addOverride('loki.write "loki"', 'endpoint.batch_sise', '512KiB');

export default app;
