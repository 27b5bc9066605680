// Mistake: AixclStack's logRetention given as retention
// Exit: 2
// Error: [aixcl] retention is not a prop of AixclStack: did you mean logRetention?
import { AixclStack, App, Duration } from 'aixcl-cdk';

const app = new App();
new AixclStack(app, 'aixcl', { retention: Duration.days(3) });

export default app;
