// Mistake: a service NAME passed to addDependency
// Exit: 2
// Error: [shop/api] addDependency(): other must be a Service, got the string 'db': pass the Service construct itself (the object that `new Service(...)` returned), not its name or URL
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const db = new Service(stack, 'db', { image: 'postgres:17.6' });
const api = new Service(stack, 'api', { image: 'nginx:1.27' });
api.addDependency('db');

export default app;
