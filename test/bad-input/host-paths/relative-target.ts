// Mistake: a mount target that is not absolute
// Exit: 2
// Error: [shop/web] addVolume(): target: 'usr/share/nginx/html' must be an absolute path in the container (e.g. '/usr/share/nginx/html')
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const web = new Service(stack, 'web', { image: 'nginx:1.27' });
web.addVolume(new Volume(stack, 'html'), 'usr/share/nginx/html');

export default app;
