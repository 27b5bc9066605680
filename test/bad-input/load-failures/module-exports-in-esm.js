// Mistake: module.exports in an ES module (the package.json says "type": "module")
// Exit: 2
// Error: the stack file test/bad-input/load-failures/module-exports-in-esm.js failed to load: test/bad-input/load-failures/module-exports-in-esm.js:8:1: module is not defined in an ES module: write `export default app`, or rename the file to .cjs
const { App, Service, Stack } = require('aixcl-cdk');

const app = new App();
new Service(new Stack(app, 'shop'), 'web', { image: 'nginx:1.27' });
module.exports = app;
