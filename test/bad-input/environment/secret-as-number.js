// Mistake: a secret written in clear as a number and a boolean
// Exit: 2
// Error: [shop/web] environment variable API_KEY looks like a secret but is written in clear: use Secret.fromEnv('API_KEY') so the value stays out of generated files
// Error: [shop/web] environment variable DB_PASSWORD looks like a secret but is written in clear: use Secret.fromEnv('DB_PASSWORD') so the value stays out of generated files
import { App, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', environment: { API_KEY: 123456789, DB_PASSWORD: true } });

export default app;
