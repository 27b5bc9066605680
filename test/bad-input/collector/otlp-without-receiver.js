// Mistake: a service sends OTLP, but the collector's OTLP receivers are turned off
// Exit: 2
// Error: [shop/api] otlp: true, but no collector of this stack receives OTLP: add Logging (its Alloy receives OTLP unless alloy.otlp is false), or remove otlp
import { App, Logging, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Logging(stack, 'logging', { alloy: { otlp: false } });
new Service(stack, 'api', { image: 'ghcr.io/acme/api:1.4.2', otlp: true });

export default app;
