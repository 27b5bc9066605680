// Loki, Promtail and Grafana for any existing Compose project:
//   npx aixcl-synth --stack stacks/logging-only.ts -c project=<name shown by `docker compose ls`>
import { App, LoggingOnlyStack, readContext, UserError, type StackFileOptions } from 'aixcl-cdk';

export default function (options: StackFileOptions): App {
  const context = readContext(options, { project: undefined });
  if (!context.project) {
    throw new UserError('name the Compose project to collect logs from: -c project=<name>');
  }
  const app = new App();
  new LoggingOnlyStack(app, 'logging', { targetProject: context.project, target: options.target });
  return app;
}
