// Mistake: a misspelt addDependency option ('conditon')
// Exit: 2
// Error: [shop/api] addDependency(): options.conditon is not a prop of addDependency() options: did you mean condition?
import { App, DependencyCondition, Healthcheck, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const db = new Service(stack, 'db', { image: 'postgres:17.6' });
const api = new Service(stack, 'api', { image: 'nginx:1.27' });
api.addDependency(db, { conditon: DependencyCondition.STARTED });

export default app;
