// Mistake: addLabel given an unset process.env value
// Exit: 2
// Error: [shop/web] addLabel(): label 'team' is undefined (is it read from an environment variable that is not set?): give it a string value, or leave the label out
import { App, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const web = new Service(stack, 'web', { image: 'nginx:1.27' });
web.addLabel('team', process.env.AIXCL_CORPUS_TEAM);

export default app;
