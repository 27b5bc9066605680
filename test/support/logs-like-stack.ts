/**
 * The small logs-like test stack, built with the core constructs only. It imports nothing of
 * node:test, so a stack file that a CLI under test loads may import it: a process that imports
 * node:test prints a test report on its stdout when it exits (in the binary format of the parent
 * runner, which it reads from NODE_TEST_CONTEXT), which would corrupt the CLI's own output.
 */
import { App, DependencyCondition, Duration, GeneratedFile, Healthcheck, NetworkMode, RestartPolicy, Service, Stack, Volume } from '../../src/index.js';
import { STANDIN_MIRROR } from './standins.js';

/** A generated file whose content the test sets. */
export class TextFile extends GeneratedFile {
  constructor(
    scope: Stack,
    id: string,
    path: string,
    public text: string,
  ) {
    super(scope, id, path);
  }
  public render(): string {
    return this.text;
  }
}

/** Options of {@link logsLikeStack}. */
export interface LogsLikeOptions {
  readonly project: string;
  readonly network?: NetworkMode;
  /** Host ports (bridge) or listening ports (host networking). */
  readonly ports: { readonly loki: number; readonly web: number };
  /** Content of the generated Loki config. @default 'retention_period: 168h' */
  readonly lokiConfig?: string;
  /** Extra environment of the loki service (e.g. STANDIN_UNHEALTHY). */
  readonly lokiEnv?: Record<string, string>;
  /** Extra environment of the web service. */
  readonly webEnv?: Record<string, string>;
  /** web requires loki (required: true) instead of optional. @default false */
  readonly webRequiresLoki?: boolean;
  /** Healthcheck retries of loki. @default 3 */
  readonly lokiRetries?: number;
  /** Healthcheck start period of loki (failures in it do not count), as the real Loki's covers its readiness delay. @default 0 */
  readonly lokiStartPeriodSeconds?: number;
  /** Add a one-shot `init` service that `web` waits for (service_completed_successfully). @default true */
  readonly withInit?: boolean;
  /** Leave the named volume out (to test that a volume removed from the stack is kept). @default false */
  readonly withoutVolume?: boolean;
}

/**
 * The default stack's shape, in small: `loki` (generated config file,
 * named volume, `loki -health` probe), `web` waiting for loki to be healthy
 * with required: false (as Grafana does), and a one-shot `init` job.
 */
export function logsLikeStack(o: LogsLikeOptions): { app: App; stack: Stack; config: TextFile } {
  const app = new App();
  const network = o.network ?? NetworkMode.BRIDGE;
  const stack = new Stack(app, 'test', { projectName: o.project, networkMode: network, imageMirror: STANDIN_MIRROR });
  const host = network === NetworkMode.HOST;
  const fast = { interval: Duration.seconds(1), timeout: Duration.seconds(2) };
  const config = new TextFile(stack, 'LokiConfig', 'loki/loki-config.yml', o.lokiConfig ?? 'retention_period: 168h\n');
  const loki = new Service(stack, 'loki', {
    image: 'aixcl-test/loki:1',
    command: ['-config.file=/etc/loki/config.yml'],
    ports: [host ? { containerPort: o.ports.loki, scheme: 'http' } : { containerPort: 3100, hostPort: o.ports.loki, scheme: 'http' }],
    environment: { ...(host ? { STANDIN_PORTS: String(o.ports.loki) } : {}), ...o.lokiEnv },
    healthcheck: Healthcheck.command(['/usr/bin/loki', '-health', `-health.url=http://127.0.0.1:${host ? o.ports.loki : 3100}/ready`], {
      ...fast,
      retries: o.lokiRetries ?? 3,
      startPeriod: Duration.seconds(o.lokiStartPeriodSeconds ?? 0),
    }),
  });
  loki.mountGenerated(config, '/etc/loki/config.yml');
  if (!o.withoutVolume) loki.addVolume(new Volume(stack, 'loki-data'), '/loki');
  const webPort = host ? o.ports.web : 8080;
  const web = new Service(stack, 'web', {
    image: 'aixcl-test/web:1',
    ports: [host ? { containerPort: o.ports.web, scheme: 'http' } : { containerPort: 8080, hostPort: o.ports.web, scheme: 'http' }],
    environment: { STANDIN_PORTS: String(webPort), ...o.webEnv },
    healthcheck: Healthcheck.command(['wget', '-q', '--spider', `http://127.0.0.1:${webPort}/ready`], { ...fast, retries: 3 }),
  });
  web.addDependency(loki, { condition: DependencyCondition.HEALTHY, required: o.webRequiresLoki ?? false });
  if (o.withInit ?? true) {
    const init = new Service(stack, 'init', {
      image: 'aixcl-test/web:1',
      entrypoint: ['sh', '-c', 'echo "init: preparing"; sleep 1; echo "init: done"'],
      restart: RestartPolicy.NO,
    });
    web.addDependency(init, { condition: DependencyCondition.COMPLETED_SUCCESSFULLY });
  }
  return { app, stack, config };
}
