// Mistake: a curl healthcheck given to Promtail through an override: its image has bash but no wget and no curl
// Exit: 2
// Error: [shop/promtail/Service] healthcheck runs curl, but image grafana/promtail:3.6.15 has no wget or curl: it can never pass; use a bash probe through /dev/tcp: Healthcheck.command(['bash', '-c', "exec 3<>/dev/tcp/127.0.0.1/<port> && printf 'GET /ready HTTP/1.0\r\n\r\n' >&3 && grep -q '200 OK' <&3"])
import { App, Loki, Promtail, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const loki = new Loki(stack, 'loki');
const promtail = new Promtail(stack, 'promtail', { loki });
promtail.service.addOverride('healthcheck.test', ['CMD-SHELL', 'curl -fsS http://localhost:9080/ready || exit 1']);

export default app;
