// Mistake: a misspelt App prop ('outDir')
// Exit: 2
// Error: [<root>] outDir is not a prop of App: did you mean outdir?
import { App, Service, Stack } from 'aixcl-cdk';

const app = new App({ outDir: 'build' });
new Service(new Stack(app, 'shop'), 'web', { image: 'nginx:1.27' });

export default app;
