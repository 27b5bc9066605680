// Mistake: a dependency condition given as 'healthy'
// Exit: 2
// Error: [shop/api] addDependency(): options.condition: the string 'healthy' is not a DependencyCondition: did you mean DependencyCondition.HEALTHY ('service_healthy')?
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const db = new Service(stack, 'db', { image: 'postgres:17.6', healthcheck: Healthcheck.command(['pg_isready']) });
const api = new Service(stack, 'api', { image: 'nginx:1.27' });
api.addDependency(db, { condition: 'healthy' });

export default app;
