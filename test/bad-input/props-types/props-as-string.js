// Mistake: the image string passed where the props object goes
// Exit: 2
// Error: [shop/web] the props of Service must be an object ({ ... }), got the string 'nginx:1.27'
import { App, DependencyCondition, Healthcheck, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', 'nginx:1.27');

export default app;
