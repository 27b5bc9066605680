// Mistake: Promtail settings given to a stack whose collector is Alloy
// Exit: 2
// Error: [shop/logging] promtail settings are given, but the collector is Alloy: give the settings of the collector you use (alloy: {...}), or collector: CollectorKind.PROMTAIL
import { App, CollectorKind, Logging, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27' });
new Logging(stack, 'logging', { collector: CollectorKind.ALLOY, promtail: { port: 9081 } });

export default app;
