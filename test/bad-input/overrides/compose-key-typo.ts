// Mistake: a misspelt compose key through addOverride
// Exit: 2
// Error: [shop/ComposeFile] the compose file does not match the compose-spec schema (check overrides): /services/web must NOT have additional properties 'mem_limt'
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const web = new Service(stack, 'web', { image: 'nginx:1.27' });
web.addOverride('mem_limt', '1g');

export default app;
