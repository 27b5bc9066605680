// Mistake: several mistakes in one stack: every one is reported, each once
// Exit: 2
// Error: [shop/db] ports[0].hostIp: 'localhost' is a host name, not an IP address, and Docker publishes a port whose host IP is not an IP on every interface: write '127.0.0.1' (or '::1')
// Error: [shop/api] command must be a list of arguments, got the string 'serve': write ['serve']
// Error: [shop/api] memoryLimit must be a Size, got the string '1g': write Size.gibibytes(1)
// Error: [shop/api] addDependency(): other must be a Service, got the string 'db': pass the Service construct itself (the object that `new Service(...)` returned), not its name or URL
// Error: [shop/db] environment variable POSTGRES_PASSWORD looks like a secret but is written in clear: use Secret.fromEnv('POSTGRES_PASSWORD') so the value stays out of generated files
// Error: [shop/web] port 80/tcp is declared twice: declare each port once
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const db = new Service(stack, 'db', { image: 'postgres:17.6', ports: [{ containerPort: 5432, hostIp: 'localhost' }], environment: { POSTGRES_PASSWORD: 'secret' } });
const api = new Service(stack, 'api', { image: 'nginx:1.27', command: 'serve', memoryLimit: '1g' });
api.addDependency('db');
new Service(stack, 'web', { image: 'nginx:1.27', ports: [{ containerPort: 80 }, { containerPort: 80 }] });

export default app;
