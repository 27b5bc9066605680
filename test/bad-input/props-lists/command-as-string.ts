// Mistake: a command line given as one string
// Exit: 2
// Error: [shop/web] command must be a list of arguments, got the string 'serve --port 80': write ['serve', '--port', '80']
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', command: 'serve --port 80' });

export default app;
