// Mistake: a stack id with an upper case letter, used as the project name, with a Logging: reported once, at the stack (not again for the project Promtail collects, which the user did not set)
// Exit: 2
// Error: [Shop] project name 'Shop' is not a valid Compose project name: use lower case letters, digits, '-' and '_', starting with a letter or digit
import { App, Logging, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'Shop');
new Logging(stack, 'logging');

export default app;
