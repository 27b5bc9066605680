// Mistake: a bind source starting with '~'
// Exit: 2
// Error: [shop/web] addBind(): source: '~/shop/html' starts with '~', which Docker does not expand: write the absolute path (in a stack file: join(homedir(), 'shop/html') from node:os and node:path)
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const web = new Service(stack, 'web', { image: 'nginx:1.27' });
web.addBind('~/shop/html', '/usr/share/nginx/html', { readOnly: true });

export default app;
