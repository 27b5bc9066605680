// Mistake: a misspelt Stack prop ('bindAdress')
// Exit: 2
// Error: [other] bindAdress is not a prop of Stack: did you mean bindAddress?
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(new Stack(app, 'other', { bindAdress: '0.0.0.0' }), 'web', { image: 'nginx:1.27' });
new Service(stack, 'web', { image: 'nginx:1.27' });

export default app;
