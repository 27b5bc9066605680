// Mistake: a URL probe given no URL (an unset variable) or an empty one
// Exit: 2
// Error: [shop/web] healthcheck: Healthcheck.wget() takes the URL to probe, such as 'http://localhost:8080/health', got undefined
// Error: [shop/api] healthcheck: Healthcheck.curl() takes the URL to probe, such as 'http://localhost:8080/health', got the string ''
import { App, Healthcheck, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', healthcheck: Healthcheck.wget(process.env.AIXCL_CORPUS_NOT_SET) });
new Service(stack, 'api', { image: 'nginx:1.27', healthcheck: Healthcheck.curl('') });

export default app;
