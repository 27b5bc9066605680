// Mistake: an override path with an empty key
// Exit: 2
// Error: [shop/web] addOverride(): override path 'deploy..replicas' is empty or has an empty key
import { App, DependencyCondition, Healthcheck, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const web = new Service(stack, 'web', { image: 'nginx:1.27' });
web.addOverride('deploy..replicas', 2);

export default app;
