// Mistake: one IPv6 address written two ways for one host port
// Exit: 2
// Error: [shop] host port 8080/tcp is used by shop/a and shop/b: give each service its own hostPort
import { App, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'a', { image: 'nginx:1.27', ports: [{ containerPort: 80, hostPort: 8080, hostIp: '0:0:0:0:0:0:0:1' }] });
new Service(stack, 'b', { image: 'nginx:1.27', ports: [{ containerPort: 80, hostPort: 8080, hostIp: '[::1]' }] });

export default app;
