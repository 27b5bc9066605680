// Mistake: an override deletes the image (neither image nor build)
// Exit: 2
// Error: [shop/web] services.web.image (set by addOverride('image')): the service has neither an image nor a build (Compose refuses the file: service "web" has neither an image nor a build context specified): do not delete 'image' with addOverride('image', undefined); give the image in the Service's props
import { App, Service, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const web = new Service(stack, 'web', { image: 'nginx:1.27' });
web.addOverride('image', undefined);

export default app;
