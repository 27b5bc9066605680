// Mistake: Compose's short port syntax with a host IP
// Exit: 2
// Error: [shop/db] ports[0]: the string '127.0.0.1:5432:5432/tcp' is Compose's short port syntax, which this API does not read: write { containerPort: 5432, hostIp: '127.0.0.1' }
import { App, DependencyCondition, Healthcheck, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'db', { image: 'postgres:17.6', ports: ['127.0.0.1:5432:5432/tcp'] });

export default app;
