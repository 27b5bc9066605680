// Mistake: a volume mounted on the container's root
// Exit: 2
// Error: [shop/web] addVolume(): target: '/' is the container's root, where Docker cannot mount ("destination can't be '/'"): mount on a directory such as '/data'
import { App, Service, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const data = new Volume(stack, 'data');
new Service(stack, 'web', { image: 'nginx:1.27' }).addVolume(data, '/');

export default app;
