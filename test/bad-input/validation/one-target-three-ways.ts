// Mistake: three mounts on one path written three ways
// Exit: 2
// Error: [shop/web] 3 mounts share the target '/data' (written '/data', '/data/', '/data/./'): mount each path once
import { App, Service, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const web = new Service(stack, 'web', { image: 'nginx:1.27' });
web.addVolume(new Volume(stack, 'data'), '/data');
web.addVolume(new Volume(stack, 'more'), '/data/');
web.addBind('/srv', '/data/./');

export default app;
