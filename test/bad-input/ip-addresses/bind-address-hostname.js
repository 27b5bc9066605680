// Mistake: the stack's bindAddress given as a host name
// Exit: 2
// Error: [shop] bindAddress: 'localhost' is a host name, not an IP address, and Docker publishes a port whose host IP is not an IP on every interface: write '127.0.0.1' (or '::1')
import { App, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop', { bindAddress: 'localhost' });
new Service(stack, 'web', { image: 'nginx:1.27', ports: [{ containerPort: 80 }] });

export default app;
