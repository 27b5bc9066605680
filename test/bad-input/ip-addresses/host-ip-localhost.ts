// Mistake: a port's hostIp given as 'localhost' (Docker would publish on every interface)
// Exit: 2
// Error: [shop/db] ports[0].hostIp: 'localhost' is a host name, not an IP address, and Docker publishes a port whose host IP is not an IP on every interface: write '127.0.0.1' (or '::1')
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'db', { image: 'postgres:17.6', ports: [{ containerPort: 5432, hostIp: 'localhost' }] });

export default app;
