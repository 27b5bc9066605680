// Mistake: a list as a variable value
// Exit: 2
// Error: [shop/web] environment.HOSTS must be a string, number, boolean, Secret, EnvRef or Interpolation, got a list (["a.example","b.example"]): join the list into one string (e.g. 'a.example,b.example')
import { App, DependencyCondition, Healthcheck, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', environment: { HOSTS: ['a.example', 'b.example'] } });

export default app;
