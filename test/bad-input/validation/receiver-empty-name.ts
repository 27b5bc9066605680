// Mistake: an Alertmanager receiver with an empty name: reported once, not again by the configuration's check (its name, the top route's receiver)
// Exit: 2
// Error: [shop/alertmanager] receiver '': the name "" is not usable: use letters, digits, '.', '_' and '-' (e.g. 'ops-webhook')
import { Alertmanager, App, Receiver, Stack } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop');
new Alertmanager(stack, 'alertmanager', { defaultReceiver: Receiver.none('') });

export default app;
