// Mistake: a volume name passed to addVolume
// Exit: 2
// Error: [shop/web] addVolume(): volume must be a Volume, got the string 'data': pass the Volume construct itself (the object that `new Volume(...)` returned), not its name or URL
import { App, DependencyCondition, Healthcheck, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Volume(stack, 'data');
const web = new Service(stack, 'web', { image: 'nginx:1.27' });
web.addVolume('data', '/data');

export default app;
