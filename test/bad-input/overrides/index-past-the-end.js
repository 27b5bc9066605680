// Mistake: an override at a list index past its end (the items between would be null: the compose-spec check listed each)
// Exit: 2
// Error: [shop/ComposeFile] addOverride('ports.5.target') of shop/web: ports has 1 item, so index 5 is past its end: use 0 to change it, or 1 to add one
import { App, Service, Stack } from 'aixcl-cdk';

const app = new App();
const web = new Service(new Stack(app, 'shop'), 'web', { image: 'nginx:1.27', ports: [{ containerPort: 80 }] });
web.addOverride('ports.5.target', 80);

export default app;
