// Mistake: an upper-case repository name
// Exit: 2
// Error: [shop/web] image: 'Postgres:17.6' has upper-case letters in its repository name, which must be lower case: write 'postgres:17.6'
import { App, DependencyCondition, Healthcheck, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'Postgres:17.6' });

export default app;
