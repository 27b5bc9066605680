// Mistake: a one-shot job with restart: always
// Exit: 2
// Error: [shop/migrate] is a one-shot job (shop/api waits for it with DependencyCondition.COMPLETED_SUCCESSFULLY), but its restart policy 'always' starts it again after it exits: set restart: RestartPolicy.NO (or RestartPolicy.ON_FAILURE to retry only failures)
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const migrate = new Service(stack, 'migrate', { image: 'acme/migrate:1', restart: RestartPolicy.ALWAYS });
const api = new Service(stack, 'api', { image: 'nginx:1.27', restart: RestartPolicy.NO });
api.addDependency(migrate, { condition: DependencyCondition.COMPLETED_SUCCESSFULLY });

export default app;
