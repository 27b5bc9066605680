// Mistake: an SDK builder object passed to addOverride
// Exit: 2
// Error: [shop/web] addOverride('labels.dashboard'): the value is a DashboardBuilder object, not plain data (strings, numbers, booleans, null, lists and plain objects): call its .build() and pass the result
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
const web = new Service(stack, 'web', { image: 'nginx:1.27' });
web.addOverride('labels.dashboard', new dashboard.DashboardBuilder('Shop'));

export default app;
