// Mistake: logging-only stacks whose target is not a Compose project name ('My Project', ''): each reported once, as targetProject (not again as their own '<target>-logging' name, Promtail's project, or one name for two stacks)
// Exit: 2
// Error: [watch-a] targetProject 'My Project' is not a Compose project name: give the name shown by `docker compose ls`
// Error: [watch-b] targetProject '' is not a Compose project name: give the name shown by `docker compose ls`
import { App, LoggingOnlyStack } from 'aixcl-cdk';

const app = new App();
new LoggingOnlyStack(app, 'watch-a', { targetProject: 'My Project' });
new LoggingOnlyStack(app, 'watch-b', { targetProject: '', grafanaPort: 3001, lokiPort: 3101, promtailPort: 9081 });

export default app;
