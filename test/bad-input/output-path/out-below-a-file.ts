// Mistake: --out is a path below a file
// Out: below-a-file
// Exit: 2
// Error: the output path {tmp}/file/out is below {tmp}/file, which is a file: give a directory path with --out
import { App, DependencyCondition, Healthcheck, NetworkMode, RestartPolicy, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27' });

export default app;
