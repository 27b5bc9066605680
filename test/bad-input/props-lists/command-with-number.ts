// Mistake: a number inside a command list
// Exit: 2
// Error: [shop/web] command[2] must be a string (or a Secret, EnvRef or Interpolation), got the number 80: write '80'
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', command: ['serve', '--port', 80] });

export default app;
