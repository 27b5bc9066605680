// Mistake: an override gives cpus as a word
// Exit: 2
// Error: [shop/web] services.web.cpus (set by addOverride('cpus')): "lots" is not a number of CPUs (Compose reads it with Go's strconv.ParseFloat): write a number such as 0.5 or '2'
import { App, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const web = new Service(stack, 'web', { image: 'nginx:1.27' });
web.addOverride('cpus', 'lots');

export default app;
