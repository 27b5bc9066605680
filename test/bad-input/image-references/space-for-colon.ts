// Mistake: a space instead of the colon before the tag
// Exit: 2
// Error: [shop/web] image: 'busybox 1.36' contains white space: write it like grafana/loki:3.7.6 (repository:tag)
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'busybox 1.36' });

export default app;
