// Mistake: a dependency added twice with different conditions (Compose keeps one; the last would silently win)
// Exit: 2
// Error: [shop/web] addDependency(): shop/db is already a dependency (condition 'service_started', required true), and a service has one entry per dependency: call addDependency once for it, with { condition: DependencyCondition.HEALTHY, required: true } if that is the one meant
import { App, DependencyCondition, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const db = new Service(stack, 'db', { image: 'postgres:17.6' });
const web = new Service(stack, 'web', { image: 'nginx:1.27' });
web.addDependency(db);
web.addDependency(db, { condition: DependencyCondition.HEALTHY });

export default app;
