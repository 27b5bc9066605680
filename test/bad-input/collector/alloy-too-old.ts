// Mistake: an Alloy too old for Docker Engine 29
// Exit: 2
// Error: [shop/logging/alloy] image 'grafana/alloy:v1.13.1' is older than Alloy 1.14.0: its Docker discovery asks for an API version Docker Engine 29 refuses; use grafana/alloy:v1.21.2
import { App, Logging, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27' });
new Logging(stack, 'logging', { alloy: { image: 'grafana/alloy:v1.13.1' } });

export default app;
