// Mistake: the image given as a number
// Exit: 2
// Error: [shop/web] image: an image reference must be a string, got number: write it like grafana/loki:3.7.6 (repository:tag)
import { App, DependencyCondition, Healthcheck, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 17 });

export default app;
