// Mistake: a boolean given as the string 'false'
// Exit: 2
// Error: [shop/web] ports[0].publish must be true or false, got the string 'false': write false, without quotes
import { App, DependencyCondition, Healthcheck, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', ports: [{ containerPort: 80, publish: 'false' }] });

export default app;
