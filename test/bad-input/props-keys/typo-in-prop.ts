// Mistake: a misspelt prop ('comand')
// Exit: 2
// Error: [shop/web] comand is not a prop of Service: did you mean command?
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', comand: ['nginx', '-g', 'daemon off;'] });

export default app;
