// Mistake: a wget healthcheck set on Loki 3.7, whose image has no shell, no wget and no curl: unhealthy forever
// Exit: 2
// Error: [shop/loki/Service] healthcheck runs wget, but image grafana/loki:3.7.6 has no sh, bash, wget or curl: it can never pass; use Loki's own health command: Healthcheck.command(['/usr/bin/loki', '-health'])
import { App, Healthcheck, Loki, Promtail, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const loki = new Loki(stack, 'loki');
new Promtail(stack, 'promtail', { loki });
loki.service.setHealthcheck(Healthcheck.wget('http://localhost:3100/ready'));

export default app;
