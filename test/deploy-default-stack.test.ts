// The default AIXCL stack (Loki, Promtail, Grafana, Prometheus and the AIXCL
// services), deployed on a real Docker Engine with stand-in images, on host
// networking and on a bridge network.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { AixclStack } from '../src/aixcl/aixcl-stack.js';
import { App, Duration, NetworkMode, Service } from '../src/index.js';
import { ComposeLabel } from '../src/deploy/labels.js';
import { stackDown } from '../src/deploy/down.js';
import { stackStatus } from '../src/deploy/status.js';
import { cleanupProject, compose, containersOf, dockerExec, idsOf, requireDocker, uniqueProject } from './support/docker.js';
import { deploy, tempOut } from './support/stacks.js';

/** The secrets the default stack asks for. */
const variables = { GRAFANA_ADMIN_PASSWORD: 'test-admin', WEBUI_SECRET_KEY: 'test-key', PGADMIN_PASSWORD: 'test-pgadmin', POSTGRES_PASSWORD: 'test-pg' };

/**
 * The default stack, with its healthchecks probed every second: Docker 20.10
 * runs the first probe only after a full interval, and the stack's 10-15 s
 * intervals would make every test wait for them. Commands are unchanged.
 */
function aixcl(project: string, network: NetworkMode, opts: { retention?: Duration; lokiUnhealthy?: boolean } = {}) {
  const app = new App();
  const stack = new AixclStack(app, 'aixcl', { projectName: project, networkMode: network, ...(opts.retention ? { logRetention: opts.retention } : {}) });
  for (const s of stack.node.findAll().filter(Service.isService)) s.addOverride('healthcheck.interval', '1s');
  if (opts.lokiUnhealthy) {
    stack.logging.loki.service.addEnvironment('STANDIN_UNHEALTHY', '1');
    stack.logging.loki.service.addOverride('healthcheck.retries', 2);
    stack.logging.loki.service.addOverride('healthcheck.start_period', '0s');
  }
  return { app, stack };
}

const SERVICES = ['cadvisor', 'grafana', 'loki', 'node-exporter', 'ollama', 'open-webui', 'pgadmin', 'postgres', 'postgres-exporter', 'prometheus', 'promtail'];

for (const network of [NetworkMode.HOST, NetworkMode.BRIDGE]) {
  describe(`default stack, ${network} networking`, () => {
    const project = uniqueProject(`aixcl-${network}`);
    const out = tempOut();
    after(() => cleanupProject(project));

    it('comes up with every service healthy, Compose labels and the URLs of the stack', async () => {
      const { app, stack } = aixcl(project, network);
      const { result, target, stacks } = await deploy(app, out, { variables });
      assert.equal(result.outcome, 'ok', JSON.stringify(result.services.filter((s) => s.outcome !== 'healthy'), null, 2));
      assert.deepEqual(result.services.map((s) => s.service), SERVICES);
      assert.ok(result.services.every((s) => s.outcome === 'healthy'));
      // URLs are the constructs' own hostUrl of each declared port.
      assert.deepEqual(target.urls.grafana, [stack.grafana.service.hostUrl(3000)]);
      assert.equal(target.urls.loki[0], 'http://localhost:3100');
      assert.deepEqual(target.urls.loki, stack.logging.loki.service.ports.map((p) => stack.logging.loki.service.hostUrl(p.containerPort)).filter(Boolean));
      assert.equal((await fetch('http://127.0.0.1:3100/ready')).status, 200);
      assert.equal((await fetch('http://127.0.0.1:3000/api/health')).status, 200);

      const e = await requireDocker();
      const cs = await containersOf(e.docker, project);
      assert.deepEqual([...cs.keys()].sort(), SERVICES);
      for (const [svc, c] of cs) {
        assert.equal(c.Name, `/${project}-${svc}-1`);
        assert.equal(c.Config.Labels[ComposeLabel.SERVICE], svc);
        assert.equal(c.HostConfig.NetworkMode, network === NetworkMode.HOST ? 'host' : `${project}_default`);
      }
      // Promtail's discovery filter (from its generated config) finds every container of the stack, as under Compose.
      const promtail = parse(stacks[0].files.find((f) => f.path === 'promtail/promtail-config.yml')!.content) as {
        scrape_configs: Array<{ docker_sd_configs?: Array<{ filters: Array<{ name: string; values: string[] }> }> }>;
      };
      const filter = promtail.scrape_configs.flatMap((s) => s.docker_sd_configs ?? [])[0].filters[0];
      assert.equal(filter.name, 'label');
      const found = await e.docker.listContainers({ filters: { label: filter.values } });
      assert.deepEqual(found.map((c) => c.Labels[ComposeLabel.SERVICE]).sort(), SERVICES);

      const ps = await compose(['-p', project, 'ps', '--format', '{{.Service}} {{.Health}}']);
      assert.deepEqual(ps.stdout.trim().split('\n').sort(), SERVICES.map((s) => `${s} healthy`));
    });

    it('a redeploy with nothing changed recreates nothing', async () => {
      const e = await requireDocker();
      const before = await idsOf(e.docker, project);
      const { result } = await deploy(aixcl(project, network).app, out, { variables });
      assert.equal(result.outcome, 'ok');
      assert.equal(result.changed, false);
      assert.deepEqual(await idsOf(e.docker, project), before);
    });

    it("changing Loki's retention recreates Loki and nothing else", async () => {
      const e = await requireDocker();
      await dockerExec(`${project}-loki-1`, ['sh', '-c', 'echo chunk-1 > /loki/kept.txt']);
      await dockerExec(`${project}-grafana-1`, ['sh', '-c', 'echo grafana-db > /var/lib/grafana/kept.txt']);
      const before = await idsOf(e.docker, project);
      const { result } = await deploy(aixcl(project, network, { retention: Duration.days(14) }).app, out, { variables });
      assert.equal(result.outcome, 'ok');
      const recreated = result.services.filter((s) => s.action !== 'keep');
      assert.deepEqual(recreated.map((s) => [s.service, s.action, s.reasons]), [['loki', 'recreate', ['generated file loki/loki-config.yml changed']]]);
      const now = await idsOf(e.docker, project);
      for (const s of SERVICES) {
        if (s === 'loki') assert.notEqual(now[s], before[s], s);
        else assert.equal(now[s], before[s], s);
      }
      assert.match(await dockerExec(`${project}-loki-1`, ['cat', '/etc/loki/config.yml']), /retention_period: 336h/);
      // Grafana was kept: its bind-mounted provisioning directory must still be the live one, with its files.
      const provisioned = await dockerExec(`${project}-grafana-1`, ['ls', '/etc/grafana/provisioning/dashboards', '/etc/grafana/provisioning/datasources']);
      assert.match(provisioned, /logs-dashboard\.json/);
      assert.match(provisioned, /loki-datasource\.yml/);
    });

    it("down keeps Loki's and Grafana's data; up brings it back", async () => {
      const e = await requireDocker();
      const down = await stackDown(project, { engine: e });
      assert.equal(down.removedContainers.length, SERVICES.length);
      assert.ok(down.keptVolumes.includes(`${project}_loki-data`) && down.keptVolumes.includes(`${project}_grafana-data`));
      const { result } = await deploy(aixcl(project, network, { retention: Duration.days(14) }).app, out, { variables });
      assert.equal(result.outcome, 'ok');
      assert.equal(await dockerExec(`${project}-loki-1`, ['cat', '/loki/kept.txt']), 'chunk-1');
      assert.equal(await dockerExec(`${project}-grafana-1`, ['cat', '/var/lib/grafana/kept.txt']), 'grafana-db');
    });

    if (network === NetworkMode.BRIDGE) {
      it('Loki failing its health leaves the stack degraded (exit 3): the other services keep running', async () => {
        const { result } = await deploy(aixcl(project, network, { retention: Duration.days(14), lokiUnhealthy: true }).app, out, { variables, waitTimeoutSeconds: 60 });
        assert.equal(result.outcome, 'degraded', JSON.stringify(result.services.filter((s) => s.outcome !== 'healthy'), null, 2));
        assert.equal(result.exitCode, 3);
        const loki = result.services.find((s) => s.service === 'loki')!;
        assert.equal(loki.optional, true);
        assert.match(loki.detail!, /^unhealthy: /);
        assert.ok(loki.logs!.some((l) => l.includes('readiness endpoints disabled')));
        const status = await stackStatus(project, { engine: await requireDocker() });
        for (const s of status) {
          assert.equal(s.state, 'running', s.service);
          if (s.service !== 'loki') assert.equal(s.health, 'healthy', s.service);
        }
      });
    }
  });
}
