// Mistake: two secrets whose variables differ only by case, under Swarm
// Exit: 2
// Error: [shop] the secrets Secret.fromEnv('Db_Pass') and Secret.fromEnv('DB_PASS') (shop/api) are one swarm secret, 'db_pass' (a swarm secret's name here is the variable's, lower case): one value would be lost; give the variables names that differ by more than case, or use one variable
import { App, Secret, Service, Stack, Target, configureSwarm } from 'aixcl-cdk';

const app = new App();
const stack = new Stack(app, 'shop', { target: Target.SWARM });
const api = new Service(stack, 'api', { image: 'acme/api:1.0', environment: { A_PASS: Secret.fromEnv('Db_Pass'), B_PASS: Secret.fromEnv('DB_PASS') } });
configureSwarm(api, { secretFiles: { A_PASS: { variable: 'A_PASS_FILE' }, B_PASS: { variable: 'B_PASS_FILE' } } });

export default app;
