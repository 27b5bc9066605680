// Mistake: grafana.addDashboard with its one required prop misspelt, then a memory limit as a string
// Exit: 2
// Error: [shop/logging/grafana] addDashboard(): dashboard must be a dashboard of @grafana/grafana-foundation-sdk (a DashboardBuilder, or what it built), got undefined: build it with new dashboard.DashboardBuilder('Title').uid('...') from @grafana/grafana-foundation-sdk/dashboard
// Error: [shop/logging/grafana] addDashboard(): dashbord is not a prop of addDashboard(): did you mean dashboard?
// Error: [shop/web] memoryLimit must be a Size, got the string '512m': write Size.mebibytes(512)
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { App, Logging, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const logging = new Logging(stack, 'logging');
logging.grafana.addDashboard('mine', { dashbord: new dashboard.DashboardBuilder('Mine').uid('mine') });
new Service(stack, 'web', { image: 'nginx:1.27', memoryLimit: '512m' });

export default app;
