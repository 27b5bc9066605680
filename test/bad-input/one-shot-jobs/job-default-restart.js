// Mistake: a one-shot job left with the default restart policy
// Exit: 2
// Error: [shop/migrate] is a one-shot job (shop/api waits for it with DependencyCondition.COMPLETED_SUCCESSFULLY), but its restart policy 'unless-stopped' (the default) starts it again after it exits: set restart: RestartPolicy.NO (or RestartPolicy.ON_FAILURE to retry only failures)
import { App, DependencyCondition, Healthcheck, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const migrate = new Service(stack, 'migrate', { image: 'acme/migrate:1' });
const api = new Service(stack, 'api', { image: 'nginx:1.27' });
api.addDependency(migrate, { condition: DependencyCondition.COMPLETED_SUCCESSFULLY });

export default app;
