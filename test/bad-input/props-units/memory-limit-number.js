// Mistake: a number of bytes where a Size is expected
// Exit: 2
// Error: [shop/web] memoryLimit must be a Size, got the number 536870912: write Size.mebibytes(512) (or Size.bytes(536870912))
import { App, DependencyCondition, Healthcheck, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', memoryLimit: 536870912 });

export default app;
