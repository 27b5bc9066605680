// Mistake: '512m' where a Size is expected
// Exit: 2
// Error: [shop/web] memoryLimit must be a Size, got the string '512m': write Size.mebibytes(512)
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', memoryLimit: '512m' });

export default app;
