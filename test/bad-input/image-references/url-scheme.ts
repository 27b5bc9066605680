// Mistake: an image given as a URL
// Exit: 2
// Error: [shop/web] image: 'https://ghcr.io/acme/shop-api:1.4.2' is a URL: an image reference has no scheme (ghcr.io/acme/shop-api:1.4.2)
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'https://ghcr.io/acme/shop-api:1.4.2' });

export default app;
