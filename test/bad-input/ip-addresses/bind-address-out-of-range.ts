// Mistake: an IPv4 address with a part above 255
// Exit: 2
// Error: [shop] bindAddress: '127.0.0.256' is not an IP address (Docker needs an IP here, not a host name): write e.g. '127.0.0.1', or '0.0.0.0' for every interface
import { App, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop', { bindAddress: '127.0.0.256' });
new Service(stack, 'web', { image: 'nginx:1.27' });

export default app;
