// The default stack: AIXCL with centralized logs, on host networking as in AIXCL.
//   npx aixcl-synth                    -> ./out
//   npx aixcl-synth -c network=bridge  -> the same stack on a bridge network
//   npx aixcl-synth --target swarm     -> docker-stack.yml for docker stack deploy (an encrypted overlay network)
//   npx aixcl-synth -c collector=promtail -> Promtail (end-of-life) instead of Grafana Alloy, for deployments that have it
import { AixclStack, App, CollectorKind, NetworkMode, readContext, type StackFileOptions } from 'aixcl-cdk';

export default function (options: StackFileOptions): App {
  const context = readContext(options, { project: undefined, network: ['host', 'bridge'], collector: ['alloy', 'promtail'] });
  const app = new App();
  new AixclStack(app, 'aixcl', {
    projectName: context.project ?? 'aixcl',
    networkMode: context.network === 'bridge' ? NetworkMode.BRIDGE : context.network === 'host' ? NetworkMode.HOST : undefined,
    target: options.target,
    collector: context.collector === 'promtail' ? CollectorKind.PROMTAIL : context.collector === 'alloy' ? CollectorKind.ALLOY : undefined,
  });
  return app;
}
