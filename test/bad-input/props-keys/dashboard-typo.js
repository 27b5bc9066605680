// Mistake: a Dashboard made directly, with its one required prop misspelt
// Exit: 2
// Error: [shop/logging/grafana/mine] dashboard must be a dashboard of @grafana/grafana-foundation-sdk (a DashboardBuilder, or what it built), got undefined: build it with new dashboard.DashboardBuilder('Title').uid('...') from @grafana/grafana-foundation-sdk/dashboard
// Error: [shop/logging/grafana/mine] dashbord is not a prop of Dashboard: did you mean dashboard?
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { App, Dashboard, Logging, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const logging = new Logging(stack, 'logging');
new Dashboard(logging.grafana, 'mine', { dashbord: new dashboard.DashboardBuilder('Mine').uid('mine') });

export default app;
