// Mistake: an unset process.env variable in environment
// Exit: 2
// Error: [shop/web] environment.DB_HOST is undefined (is it read from an environment variable that is not set, e.g. process.env.DB_HOST?): give it a value, or Secret.fromEnv('DB_HOST') to take it from the environment when the stack starts
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', environment: { DB_HOST: process.env.AIXCL_CORPUS_NOT_SET } });

export default app;
