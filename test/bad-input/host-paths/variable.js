// Mistake: a bind source with $XDG_RUNTIME_DIR
// Exit: 2
// Error: [shop/web] addBind(): source: '$XDG_RUNTIME_DIR/podman/podman.sock' holds $XDG_RUNTIME_DIR, which Docker does not expand: write the path with its value (in a stack file: `${process.env.XDG_RUNTIME_DIR}/...`)
import { App, DependencyCondition, Healthcheck, Secret, Service, Size, Stack, Volume } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
const web = new Service(stack, 'web', { image: 'nginx:1.27' });
web.addBind('$XDG_RUNTIME_DIR/podman/podman.sock', '/var/run/docker.sock', { readOnly: true });

export default app;
