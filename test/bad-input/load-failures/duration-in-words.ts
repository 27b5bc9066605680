// Mistake: a duration in words, Duration.parse('5 minutes')
// Exit: 2
// Error: the stack file test/bad-input/load-failures/duration-in-words.ts failed to load: '5 minutes' is not a duration; write it like 30s, 15m, 24h or 7d (at test/bad-input/load-failures/duration-in-words.ts:9:94)
import { App, Duration, Healthcheck, Service, Stack } from 'aixcl-cdk';

const app = new App();
new Service(new Stack(app, 'shop'), 'api', {
  image: 'nginx:1.27',
  healthcheck: Healthcheck.command(['curl', '-f', 'http://localhost/'], { interval: Duration.parse('5 minutes') }),
});
export default app;
