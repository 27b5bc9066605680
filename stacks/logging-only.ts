// Loki, Promtail and Grafana for any existing Compose project, as a project of its own named
// <project>-logging (containers <project>-logging-loki-1, -promtail-1, -grafana-1):
//   npx aixcl-synth --stack aixcl-cdk/logging-only -c project=<name shown by `docker compose ls`>
// Ports and the Grafana admin secret, when the project already uses them:
//   -c grafanaPort=3001 -c lokiPort=3101 -c promtailPort=9081 -c grafanaAdminSecret=SHOP_GRAFANA_PASSWORD
import { App, LoggingOnlyStack, readContext, Secret, UserError, type StackFileOptions } from 'aixcl-cdk';

export default function (options: StackFileOptions): App {
  const context = readContext(options, {
    project: undefined,
    lokiPort: undefined,
    promtailPort: undefined,
    grafanaPort: undefined,
    grafanaAdminSecret: undefined,
  });
  if (!context.project) {
    throw new UserError('name the Compose project to collect logs from: -c project=<name>');
  }
  const app = new App();
  new LoggingOnlyStack(app, 'logging', {
    targetProject: context.project,
    target: options.target,
    lokiPort: port(context, 'lokiPort'),
    promtailPort: port(context, 'promtailPort'),
    grafanaPort: port(context, 'grafanaPort'),
    grafanaAdminPassword: context.grafanaAdminSecret
      ? Secret.fromEnv(context.grafanaAdminSecret, `set ${context.grafanaAdminSecret} (the Grafana admin password) in the environment or ./.env`)
      : undefined,
  });
  return app;
}

function port(context: Partial<Record<string, string>>, key: string): number | undefined {
  const v = context[key];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1 || n > 65535) throw new UserError(`context ${key}=${v} is not a port number (1-65535)`);
  return n;
}
