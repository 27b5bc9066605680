// The default AIXCL stack (Loki, Alloy, Grafana, Prometheus and the AIXCL
// services), deployed on a real Docker Engine with stand-in images, on host
// networking and on a bridge network.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { AixclStack } from '../src/aixcl/aixcl-stack.js';
import { App, Duration, Healthcheck, NetworkMode, Service, Stack } from '../src/index.js';
import { ComposeLabel } from '../src/deploy/labels.js';
import { stackDown } from '../src/deploy/down.js';
import { stackStatus } from '../src/deploy/status.js';
import { assertOutcome, cleanupProject, compose, containersOf, dockerExec, idsOf, requireDocker, uniqueProject } from './support/docker.js';
import { deploy, tempOut, TextFile } from './support/stacks.js';
import { STANDIN_MIRROR, standInName } from './support/standins.js';
import { BUSYBOX } from './support/standin-scripts.js';

/** The secrets the default stack asks for. */
const variables = { GRAFANA_ADMIN_PASSWORD: 'test-admin', WEBUI_SECRET_KEY: 'test-key', PGADMIN_PASSWORD: 'test-pgadmin', POSTGRES_PASSWORD: 'test-pg' };

/**
 * The default stack, with its healthchecks probed every second: Docker 20.10
 * runs the first probe only after a full interval, and the stack's 10-15 s
 * intervals would make every test wait for them. Commands are unchanged.
 */
function aixcl(project: string, network: NetworkMode, opts: { retention?: Duration; lokiUnhealthy?: boolean; collectorUnhealthy?: boolean } = {}) {
  const app = new App();
  const stack = new AixclStack(app, 'aixcl', {
    projectName: project,
    networkMode: network,
    imageMirror: STANDIN_MIRROR,
    ...(opts.retention ? { logRetention: opts.retention } : {}),
  });
  for (const s of stack.node.findAll().filter(Service.isService)) s.addOverride('healthcheck.interval', '1s');
  if (opts.lokiUnhealthy) {
    stack.logging.loki.service.addEnvironment('STANDIN_UNHEALTHY', '1');
    stack.logging.loki.service.addOverride('healthcheck.retries', 2);
    stack.logging.loki.service.addOverride('healthcheck.start_period', '0s');
  }
  if (opts.collectorUnhealthy) {
    stack.logging.collector.service.addEnvironment('STANDIN_UNHEALTHY', '1');
    stack.logging.collector.service.addOverride('healthcheck.retries', 2);
    stack.logging.collector.service.addOverride('healthcheck.start_period', '0s');
  }
  return { app, stack };
}

const SERVICES = ['alloy', 'cadvisor', 'grafana', 'loki', 'node-exporter', 'ollama', 'open-webui', 'pgadmin', 'postgres', 'postgres-exporter', 'prometheus'];

for (const network of [NetworkMode.HOST, NetworkMode.BRIDGE]) {
  describe(`default stack, ${network} networking`, () => {
    const project = uniqueProject(`aixcl-${network}`);
    const out = tempOut();
    after(() => cleanupProject(project));

    it('comes up with every service healthy, Compose labels and the URLs of the stack', async () => {
      const { app, stack } = aixcl(project, network);
      const { result, target, stacks } = await deploy(app, out, { variables });
      assertOutcome(result, 'ok');
      assert.deepEqual(
        result.services.map((s) => s.service),
        SERVICES,
      );
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
      // Alloy's discovery filter (from its generated config) finds every container of the stack, as under Compose.
      const alloy = stacks[0].files.find((f) => f.path === 'alloy/config.alloy')!.content;
      const filter = /filter \{\s*name\s*= "label"\s*values = \["([^"]+)"\]/.exec(alloy);
      assert.ok(filter, alloy);
      const found = await e.docker.listContainers({ filters: { label: [filter[1]] } });
      assert.deepEqual(found.map((c) => c.Labels[ComposeLabel.SERVICE]).sort(), SERVICES);

      const ps = await compose(['-p', project, 'ps', '--format', '{{.Service}} {{.Health}}']);
      assert.deepEqual(
        ps.stdout.trim().split('\n').sort(),
        SERVICES.map((s) => `${s} healthy`),
      );
    });

    it('a redeploy with nothing changed recreates nothing', async () => {
      const e = await requireDocker();
      const before = await idsOf(e.docker, project);
      const { result } = await deploy(aixcl(project, network).app, out, { variables });
      assert.equal(result.outcome, 'ok');
      assert.equal(result.changed, false);
      assert.deepEqual(await idsOf(e.docker, project), before);
    });

    it("changing Loki's retention recreates Loki, and touches nothing else but what Compose does to Loki's dependents", async () => {
      const e = await requireDocker();
      // Loki's image has no shell and no cat (as the real one): the stand-in's own busybox looks inside.
      await dockerExec(`${project}-loki-1`, [BUSYBOX, 'sh', '-c', 'echo chunk-1 > /loki/kept.txt']);
      await dockerExec(`${project}-grafana-1`, ['sh', '-c', 'echo grafana-db > /var/lib/grafana/kept.txt']);
      const before = await idsOf(e.docker, project);
      const { result } = await deploy(aixcl(project, network, { retention: Duration.days(14) }).app, out, { variables });
      assert.equal(result.outcome, 'ok');
      const touched = result.services.filter((s) => s.action !== 'keep');
      assert.deepEqual(touched.find((s) => s.service === 'loki')!.reasons, ['generated file loki/loki-config.yml changed']);
      // Loki's dependents (and theirs): Compose before 2.29.4 recreates them, later ones stop and start them (plan.ts).
      const dependents = touched.filter((s) => s.service !== 'loki');
      for (const d of dependents) assert.match(d.reasons.join(), /^its dependency '[a-z-]+' is recreated/, d.service);
      assert.ok(
        dependents.some((d) => d.service === 'grafana'),
        'grafana depends on loki',
      );
      const now = await idsOf(e.docker, project);
      for (const s of SERVICES) {
        if (touched.some((t) => t.service === s && t.action === 'recreate')) assert.notEqual(now[s], before[s], s);
        else assert.equal(now[s], before[s], s);
      }
      assert.match(await dockerExec(`${project}-loki-1`, [BUSYBOX, 'cat', '/etc/loki/config.yml']), /retention_period: 336h/);
      // Grafana's bind-mounted provisioning directory must still be the live one, with its files.
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
      assert.equal(await dockerExec(`${project}-loki-1`, [BUSYBOX, 'cat', '/loki/kept.txt']), 'chunk-1');
      assert.equal(await dockerExec(`${project}-grafana-1`, ['cat', '/var/lib/grafana/kept.txt']), 'grafana-db');
    });

    if (network === NetworkMode.BRIDGE) {
      it('Loki failing its health leaves the stack degraded (exit 3): the other services keep running', async () => {
        const { result } = await deploy(aixcl(project, network, { retention: Duration.days(14), lokiUnhealthy: true }).app, out, {
          variables,
          waitTimeoutSeconds: 60,
        });
        assertOutcome(result, 'degraded');
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

    it('the collector failing its health (it is labelled optional) leaves the stack degraded (exit 3): the other services keep running', async () => {
      const { result, stacks } = await deploy(aixcl(project, network, { retention: Duration.days(14), collectorUnhealthy: true }).app, out, {
        variables,
        waitTimeoutSeconds: 60,
      });
      const composeFile = parse(stacks[0].files.find((f) => f.path === 'docker-compose.yml')!.content) as {
        services: Record<string, { labels: Record<string, string> }>;
      };
      assert.equal(composeFile.services.alloy.labels['dev.aixcl.optional'], 'true');
      assertOutcome(result, 'degraded');
      assert.equal(result.exitCode, 3);
      assert.deepEqual(
        result.services.filter((s) => s.outcome !== 'healthy').map((s) => s.service),
        ['alloy'],
      );
      const collector = result.services.find((s) => s.service === 'alloy')!;
      assert.equal(collector.optional, true);
      assert.match(collector.detail!, /^unhealthy: exit 1/);
      assert.ok(
        collector.logs!.some((l) => l.includes('readiness endpoints disabled')),
        collector.logs!.join('\n'),
      );
      const cs = await containersOf((await requireDocker()).docker, project);
      assert.deepEqual([...cs.keys()].sort(), SERVICES);
      for (const [svc, c] of cs) {
        assert.equal(c.State.Status, 'running', svc);
        assert.equal(c.State.Health?.Status, svc === 'alloy' ? 'unhealthy' : 'healthy', svc);
      }
    });
  });
}

/**
 * The stand-ins contain what the real images contain, whatever the stack
 * under test says: a healthcheck the real image cannot run, or one that
 * probes a path or port its server does not serve, never turns healthy.
 * Each failing service here is a bug the AIXCL stack had or could have;
 * the healthy ones are the controls (same images, right probes).
 */
describe('stand-in images are as strict as the real ones', () => {
  const project = uniqueProject('aixcl-fidelity');
  after(() => cleanupProject(project));
  const fast = { interval: Duration.seconds(1), timeout: Duration.seconds(20), retries: 2, startPeriod: Duration.seconds(0) };
  const lokiReady = 'http://127.0.0.1:3100/ready';
  const promtailProbe = "exec 3<>/dev/tcp/127.0.0.1/9080 && printf 'GET /ready HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q '200 OK' <&3";

  function fidelityStack() {
    const app = new App();
    const stack = new Stack(app, 'fidelity', { projectName: project, networkMode: NetworkMode.BRIDGE, imageMirror: STANDIN_MIRROR });
    const lokiConfig = new TextFile(stack, 'LokiConfig', 'loki/config.yml', 'server:\n  http_listen_port: 3100\n');
    const lokiOtherPort = new TextFile(stack, 'LokiConfig3200', 'loki/config-3200.yml', 'server:\n  http_listen_port: 3200\n');
    const promtailConfig = new TextFile(stack, 'PromtailConfig', 'promtail/config.yml', 'server:\n  http_listen_port: 9080\n  grpc_listen_port: 0\n');
    // Each service names its stand-in itself (aixcl-standin.invalid/...): the library refuses at synthesis a probe
    // the real image cannot run (src/compose/image-programs.ts), and this test deploys such probes on purpose, to
    // show that the stand-ins fail them as the real images would. The stand-in's name is no image the library knows.
    const loki = (name: string, hc: Healthcheck, config = lokiConfig) => {
      const s = new Service(stack, name, { image: standInName('grafana/loki:3.7.6'), command: ['-config.file=/etc/loki/config.yml'], healthcheck: hc });
      s.mountGenerated(config, '/etc/loki/config.yml');
    };
    const promtail = (name: string, hc: Healthcheck) => {
      const s = new Service(stack, name, {
        image: standInName('grafana/promtail:3.6.15'),
        command: ['-config.file=/etc/promtail/config.yml'],
        healthcheck: hc,
      });
      s.mountGenerated(promtailConfig, '/etc/promtail/config.yml');
    };
    const svc = (name: string, image: string, hc: Healthcheck) => new Service(stack, name, { image: standInName(image), healthcheck: hc });

    // Controls: the probes the real images answer.
    loki('loki-health', Healthcheck.command(['/usr/bin/loki', '-health'], fast));
    loki('loki-health-url', Healthcheck.command(['/usr/bin/loki', '-health', '-health.url=http://127.0.0.1:3200/ready'], fast), lokiOtherPort);
    promtail('promtail-bash', Healthcheck.command(['bash', '-c', promtailProbe], fast));
    svc('grafana-wget', 'grafana/grafana:13.0.0', Healthcheck.wget('http://127.0.0.1:3000/api/health', fast));
    svc('grafana-curl', 'grafana/grafana:13.0.0', Healthcheck.curl('http://127.0.0.1:3000/api/health', fast));
    svc('webui-curl', 'ghcr.io/open-webui/open-webui:v0.6.33', Healthcheck.curl('http://127.0.0.1:8080/health', fast));
    svc('ollama-list', 'ollama/ollama:0.12.3', Healthcheck.command(['ollama', 'list'], fast));

    // Loki 3.6+ is distroless: no shell, no wget, no curl (the AIXCL stack's bug 4).
    loki('loki-shell-wget', Healthcheck.shell(`wget -q --spider ${lokiReady} || exit 1`, fast));
    loki('loki-wget', Healthcheck.wget(lokiReady, fast));
    loki('loki-curl', Healthcheck.curl(lokiReady, fast));
    // Its server listens on the config file's port: a probe of the default port fails.
    loki('loki-wrong-port', Healthcheck.command(['/usr/bin/loki', '-health'], fast), lokiOtherPort);
    // Promtail has bash, but no wget and no curl, also through its shell.
    promtail('promtail-wget', Healthcheck.wget('http://127.0.0.1:9080/ready', fast));
    promtail('promtail-curl', Healthcheck.curl('http://127.0.0.1:9080/ready', fast));
    promtail('promtail-shell-wget', Healthcheck.shell('wget -q -O /dev/null http://127.0.0.1:9080/ready', fast));
    // Wrong paths and ports, with a program the image has.
    svc('grafana-wrong-path', 'grafana/grafana:13.0.0', Healthcheck.wget('http://127.0.0.1:3000/health', fast));
    svc('grafana-wrong-port', 'grafana/grafana:13.0.0', Healthcheck.wget('http://127.0.0.1:3001/api/health', fast));
    svc('prometheus-wrong-path', 'prom/prometheus:v3.5.0', Healthcheck.wget('http://127.0.0.1:9090/ready', fast));
    // Programs other images lack.
    svc('prometheus-curl', 'prom/prometheus:v3.5.0', Healthcheck.curl('http://127.0.0.1:9090/-/ready', fast));
    svc('ollama-curl', 'ollama/ollama:0.12.3', Healthcheck.curl('http://127.0.0.1:11434/api/tags', fast));
    svc('postgres-wget', 'postgres:17.6', Healthcheck.wget('http://127.0.0.1:5432/', fast));
    return app;
  }

  it('only the probes the real images can run and answer turn healthy', async () => {
    // The wait ends when every service has settled; the limit only matters on a busy machine, where 17 containers' probes queue up.
    const { result } = await deploy(fidelityStack(), tempOut(), { waitTimeoutSeconds: 120 });
    const outcome = Object.fromEntries(result.services.map((s) => [s.service, s.outcome]));
    const detail = (name: string) => result.services.find((s) => s.service === name)!.detail ?? '';
    const healthy = ['grafana-curl', 'grafana-wget', 'loki-health', 'loki-health-url', 'ollama-list', 'promtail-bash', 'webui-curl'];
    assert.deepEqual(
      Object.keys(outcome).filter((k) => outcome[k] === 'healthy'),
      healthy,
      JSON.stringify(
        result.services.map((s) => [s.service, s.outcome, s.detail]),
        null,
        2,
      ),
    );
    assert.equal(result.exitCode, 1);
    for (const name of Object.keys(outcome).filter((k) => !healthy.includes(k))) {
      assert.equal(outcome[name], 'failed', name);
      assert.match(detail(name), /^unhealthy: exit /, name);
    }
    // Why each one failed, as Docker reports the last probe.
    assert.match(detail('loki-shell-wget'), /\/bin\/sh.*no such file or directory/);
    for (const name of ['loki-wget', 'promtail-wget', 'postgres-wget']) assert.match(detail(name), /exec: "wget": executable file not found in \$PATH/, name);
    for (const name of ['loki-curl', 'promtail-curl', 'prometheus-curl', 'ollama-curl'])
      assert.match(detail(name), /exec: "curl": executable file not found in \$PATH/, name);
    assert.match(detail('promtail-shell-wget'), /wget: not found/);
    assert.match(detail('loki-wrong-port'), /^unhealthy: exit 1: health check failed: http:\/\/localhost:3100\/ready is not ready/);
    for (const name of ['grafana-wrong-path', 'prometheus-wrong-path']) assert.match(detail(name), /404 Not Found/, name);
    assert.match(detail('grafana-wrong-port'), /Connection refused/);
  });
});
