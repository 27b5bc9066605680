// Mistake: two stacks of one app publish one host port (one engine)
// Exit: 2
// Error: [shop] host port 8080/tcp is used by shop/web and admin/web: give each service its own hostPort (the stacks of an app are deployed to the same Docker engine)
import { App, Service, Stack } from 'aixcl-cdk';

const app = new App();
new Service(new Stack(app, 'shop'), 'web', { image: 'nginx:1.27', ports: [{ containerPort: 80, hostPort: 8080 }] });
new Service(new Stack(app, 'admin'), 'web', { image: 'nginx:1.27', ports: [{ containerPort: 80, hostPort: 8080 }] });

export default app;
