// Mistake: null passed to addEnvironment
// Exit: 2
// Error: [shop/web] addEnvironment(): CACHE_DIR is null (is it read from an environment variable that is not set, e.g. process.env.CACHE_DIR?): give it a value, or Secret.fromEnv('CACHE_DIR') to take it from the environment when the stack starts
import { App, DependencyCondition, Healthcheck, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const web = new Service(stack, 'web', { image: 'nginx:1.27' });
web.addEnvironment('CACHE_DIR', null);

export default app;
