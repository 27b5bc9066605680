// Mistake: a restart policy that does not exist ('sometimes')
// Exit: 2
// Error: [shop/web] restart: the string 'sometimes' is not a RestartPolicy: use one of RestartPolicy.NO ('no'), RestartPolicy.ALWAYS ('always'), RestartPolicy.ON_FAILURE ('on-failure'), RestartPolicy.UNLESS_STOPPED ('unless-stopped')
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', restart: 'sometimes' });

export default app;
