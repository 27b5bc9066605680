// Mistake: a user Docker cannot run as ('root:', a group left empty) and an empty Grafana admin login
// Exit: 2
// Error: [shop/web] user: the string 'root:' is not a user: write a user name or uid, optionally ':' and a group name or gid (e.g. 'postgres' or '1000:1000')
// Error: [shop/grafana] adminUser is empty: give the admin's login name (e.g. 'admin'), or leave it out
import { App, Grafana, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', user: 'root:' });
new Grafana(stack, 'grafana', { adminUser: '' });

export default app;
