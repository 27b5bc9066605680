// Mistake: one service publishes two ports on one host port
// Exit: 2
// Error: [shop] host port 8080/tcp is published twice by shop/web: give each of its ports its own hostPort
import { App, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 81, hostPort: 8080 }] });

export default app;
