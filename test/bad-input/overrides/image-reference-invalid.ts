// Mistake: an override sets an image reference Docker refuses
// Exit: 2
// Error: [shop/web] services.web.image (set by addOverride('image')): image 'Nginx:Latest Version' contains white space: write it like grafana/loki:3.7.6 (repository:tag) (Docker refuses to pull or run it)
import { App, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const web = new Service(stack, 'web', { image: 'nginx:1.27' });
web.addOverride('image', 'Nginx:Latest Version');

export default app;
