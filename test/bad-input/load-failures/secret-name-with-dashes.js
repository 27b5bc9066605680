// Mistake: a secret's variable name with dashes, Secret.fromEnv('shop-db-password')
// Exit: 2
// Error: the stack file test/bad-input/load-failures/secret-name-with-dashes.js failed to load: 'shop-db-password' is not an environment variable name (letters, digits and '_', not starting with a digit) (at test/bad-input/load-failures/secret-name-with-dashes.js:10:31)
import { App, Secret, Service, Stack } from 'aixcl-cdk';

const app = new App();
new Service(new Stack(app, 'shop'), 'db', {
  image: 'postgres:17.6',
  environment: {
    POSTGRES_PASSWORD: Secret.fromEnv('shop-db-password'),
  },
});
export default app;
