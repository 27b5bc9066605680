// Mistake: an Alertmanager route and an inhibit rule (by override) on a 'team' label that no alert of the stack carries: neither ever matches
// Exit: 2
// Error: [aixcl/alertmanager] route 1 (team="database") never takes an alert: no alert of the stack carries the label 'team' (the alerts carry alertname, compose_project, compose_service, instance, job, severity)
// Error: [aixcl/alertmanager] inhibit rule 1's source (team="platform") never matches an alert, so it never inhibits: no alert of the stack carries the label 'team' (the alerts carry alertname, compose_project, compose_service, instance, job, severity)
import { AixclStack, App, Receiver } from 'aixcl-cdk';

const app = new App();
const stack = new AixclStack(app, 'aixcl', {
  alerting: { routes: [{ matchers: { team: 'database' }, receiver: Receiver.webhook('dba', { url: 'http://hooks.internal:8080/dba' }) }] },
});
stack.alertmanager.config.addOverride('inhibit_rules', [{ source_matchers: ['team="platform"'], target_matchers: ['severity="warning"'], equal: ['compose_service'] }]);

export default app;
