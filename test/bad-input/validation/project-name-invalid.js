// Mistake: a project name Compose rejects
// Exit: 2
// Error: [My Shop] project name 'My Shop' is not a valid Compose project name: use lower case letters, digits, '-' and '_', starting with a letter or digit
import { App, Service, Stack } from 'aixcl-cdk';

const app = new App();
new Service(new Stack(app, 'My Shop'), 'web', { image: 'nginx:1.27' });

export default app;
