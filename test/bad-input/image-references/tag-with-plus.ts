// Mistake: a tag with '+' (semver build metadata)
// Exit: 2
// Error: [shop/web] image: 'acme/shop-api:1.4.2+build.7' has an invalid tag '1.4.2+build.7': a tag is up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-' ('+' cannot appear in a tag)
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'acme/shop-api:1.4.2+build.7' });

export default app;
