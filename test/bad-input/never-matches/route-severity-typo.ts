// Mistake: an Alertmanager route on severity "critcal" (the alerts carry warning or critical): the page never goes out
// Exit: 2
// Error: [aixcl/alertmanager] route 1 (severity="critcal") never takes an alert: no alert of the stack has that value (the alerts have severity "critical", "warning"; did you mean "critical"?)
import { AixclStack, App, Receiver, Secret } from 'aixcl-cdk';

const app = new App();
new AixclStack(app, 'aixcl', {
  alerting: {
    routes: [{ matchers: { severity: 'critcal' }, receiver: Receiver.webhook('pager', { url: Secret.fromEnv('PAGER_URL') }) }],
  },
});

export default app;
