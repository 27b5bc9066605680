// Mistake: waiting for the health of a service without a healthcheck
// Exit: 2
// Error: [shop/api] waits for 'db' to be healthy, but it has no healthcheck: give it one or use DependencyCondition.STARTED
import { App, DependencyCondition, Healthcheck, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const db = new Service(stack, 'db', { image: 'postgres:17.6' });
const api = new Service(stack, 'api', { image: 'nginx:1.27' });
api.addDependency(db, { condition: DependencyCondition.HEALTHY });

export default app;
