// Mistake: a plain object passed to mountGenerated
// Exit: 2
// Error: [shop/web] mountGenerated(): fileOrDirectory must be a generated file (or the path of a directory of generated files), got an object ({"path":"nginx/nginx.conf"}): pass the file construct (e.g. loki.config) or a path such as 'grafana/provisioning'
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const web = new Service(stack, 'web', { image: 'nginx:1.27' });
web.mountGenerated({ path: 'nginx/nginx.conf' }, '/etc/nginx/nginx.conf');

export default app;
