// Mistake: an entrypoint given as one string
// Exit: 2
// Error: [shop/web] entrypoint must be a list of arguments, got the string '/docker-entrypoint.sh nginx': write ['/docker-entrypoint.sh', 'nginx']
import { App, DependencyCondition, Healthcheck, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', entrypoint: '/docker-entrypoint.sh nginx' });

export default app;
