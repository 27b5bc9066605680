// Mistake: a Loki datasource given the Loki's name (its stand-in goes on into a logs dashboard), then a misspelt Service prop
// Exit: 2
// Error: [shop/grafana] addLokiDatasource(): loki must be a Loki, got the string 'loki': pass the Loki construct itself (the object that `new Loki(...)` returned), not its name or URL
// Error: [shop/web] comand is not a prop of Service: did you mean command?
import { App, Grafana, Loki, Promtail, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const loki = new Loki(stack, 'loki');
new Promtail(stack, 'promtail', { loki });
const grafana = new Grafana(stack, 'grafana');
const datasource = grafana.addLokiDatasource({ loki: 'loki' });
grafana.addLogsDashboard({ datasource });
new Service(stack, 'web', { image: 'nginx:1.27', comand: ['nginx', '-g', 'daemon off;'] });

export default app;
