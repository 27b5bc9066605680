// Mistake: an object as a variable value
// Exit: 2
// Error: [shop/web] environment.CONFIG must be a string, number, boolean, Secret, EnvRef or Interpolation, got an object ({"port":80})
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', environment: { CONFIG: { port: 80 } } });

export default app;
