// Mistake: labels as a list
// Exit: 2
// Error: [shop/web] labels must be an object ({ ... }), got a list (["team=shop"])
import { App, DependencyCondition, Healthcheck, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', labels: ['team=shop'] });

export default app;
