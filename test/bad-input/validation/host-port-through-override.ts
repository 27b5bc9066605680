// Mistake: a port added through an override takes a host port a service has
// Exit: 2
// Error: [shop] host port 8080/tcp is used by shop/a and shop/b: give each service its own hostPort
import { App, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'a', { image: 'nginx:1.27', ports: [{ containerPort: 80, hostPort: 8080 }] });
const b = new Service(stack, 'b', { image: 'nginx:1.27' });
b.addOverride('ports', ['127.0.0.1:8080:80']);

export default app;
