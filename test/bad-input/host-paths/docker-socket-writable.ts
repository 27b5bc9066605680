// Mistake: the Docker socket mounted writable
// Exit: 2
// Error: [shop/web] the Docker socket is mounted writable (/var/run/docker.sock): mount it with { readOnly: true }
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const web = new Service(stack, 'web', { image: 'nginx:1.27' });
web.addBind('/var/run/docker.sock', '/var/run/docker.sock');

export default app;
