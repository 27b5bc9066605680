// Mistake: a memory limit below Docker's minimum (6 MiB)
// Exit: 2
// Error: [shop/web] memoryLimit: 1 byte is below Docker's smallest memory limit, 6 MiB (the Engine refuses to create the container: Minimum memory limit allowed is 6MB): give at least Size.mebibytes(6), or no memoryLimit
import { App, Service, Size, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Service(stack, 'web', { image: 'nginx:1.27', memoryLimit: Size.bytes(1) });

export default app;
