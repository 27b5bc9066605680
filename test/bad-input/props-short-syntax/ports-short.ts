// Mistake: Compose's short port syntax '8080:80'
// Exit: 2
// Error: [shop/web] ports[0]: the string '8080:80' is Compose's short port syntax, which this API does not read: write { containerPort: 80, hostPort: 8080 }
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', ports: ['8080:80'] });

export default app;
