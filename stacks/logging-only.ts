// Loki, a collector (Grafana Alloy) and Grafana for any existing Compose project, as a project of its
// own named <project>-logging (containers <project>-logging-loki-1, -alloy-1, -grafana-1):
//   npx aixcl-synth --stack aixcl-cdk/logging-only -c project=<name shown by `docker compose ls`>
// Ports and the Grafana admin secret, when the project already uses them:
//   -c grafanaPort=3001 -c lokiPort=3101 -c collectorPort=12346 -c grafanaAdminSecret=SHOP_GRAFANA_PASSWORD
// Promtail (end-of-life) instead of Alloy: -c collector=promtail (-c promtailPort=9081 alone also keeps it).
import { App, CollectorKind, LoggingOnlyStack, readContext, Secret, UserError, type StackFileOptions } from 'aixcl-cdk';

export default function (options: StackFileOptions): App {
  const context = readContext(options, {
    project: undefined,
    lokiPort: undefined,
    collector: ['alloy', 'promtail'],
    collectorPort: undefined,
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
    collector: context.collector === 'promtail' ? CollectorKind.PROMTAIL : context.collector === 'alloy' ? CollectorKind.ALLOY : undefined,
    collectorPort: port(context, 'collectorPort'),
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
