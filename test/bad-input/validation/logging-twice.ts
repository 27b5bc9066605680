// Mistake: two Logging constructs in one stack: one message, not a clash for each of their names, volumes, ports and files
// Exit: 2
// Error: [shop/logging2] a stack takes one Logging: shop/logging already collects its logs; use that one (its loki, collector, grafana, datasource and dashboard), or put this one in another stack
import { App, Logging, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Logging(stack, 'logging');
new Logging(stack, 'logging2');

export default app;
