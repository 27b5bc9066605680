// Mistake: a digest that is too short
// Exit: 2
// Error: [shop/web] image: 'busybox@sha256:abc123' has an invalid digest 'sha256:abc123': a digest is algorithm:hex, e.g. sha256: followed by 64 hex digits
import { App, DependencyCondition, Healthcheck, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'busybox@sha256:abc123' });

export default app;
