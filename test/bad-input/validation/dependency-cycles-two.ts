// Mistake: two independent dependency cycles: each reported, once
// Exit: 2
// Error: [shop] depends_on has a cycle: a -> b -> a: remove one of these dependencies
// Error: [shop] depends_on has a cycle: c -> d -> c: remove one of these dependencies
import { App, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((id) => new Service(stack, id, { image: 'nginx:1.27' }));
a.addDependency(b);
b.addDependency(a);
c.addDependency(d);
d.addDependency(c);

export default app;
