// Mistake: a dependency cycle
// Exit: 2
// Error: [shop] depends_on has a cycle: a -> b -> a: remove one of these dependencies
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const a = new Service(stack, 'a', { image: 'nginx:1.27' });
const b = new Service(stack, 'b', { image: 'nginx:1.27' });
a.addDependency(b);
b.addDependency(a);

export default app;
