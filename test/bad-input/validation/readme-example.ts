// Mistake: the README's example: log retention under Loki's minimum, and a web service on Grafana's port
// Exit: 2
// Error: [aixcl] host port 3000/tcp is used by aixcl/grafana/Service and aixcl/web: give each service its own port
// Error: [aixcl/logging/loki] retention of 12h is below Loki's minimum of 24h (the compactor deletes whole days of index): use Duration.days(1) or more
import { AixclStack, App, Duration, Service } from 'aixcl-cdk';

const app = new App();
const aixcl = new AixclStack(app, 'aixcl', { logRetention: Duration.hours(12) });
new Service(aixcl, 'web', { image: 'nginx:1.27', ports: [{ containerPort: 3000 }] });

export default app;
