// Mistake: a restart policy misspelt ('unless_stopped')
// Exit: 2
// Error: [shop/web] restart: the string 'unless_stopped' is not a RestartPolicy: did you mean RestartPolicy.UNLESS_STOPPED ('unless-stopped')?
import { App, DependencyCondition, Healthcheck, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', restart: 'unless_stopped' });

export default app;
