// An Alertmanager with typed receivers, deployed on a real Docker Engine with the stand-in of
// prom/alertmanager (busybox-based, runs as nobody, serves /-/healthy and /-/ready on the address
// of its --web.listen-address flag, as the real image does): the generated healthcheck passes in
// that image, and the entrypoint hands the receivers' secrets to Alertmanager as files on a tmpfs.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { Alertmanager, ALERTMANAGER_SECRETS_DIR, App, NetworkMode, Receiver, Secret, Service, Stack } from '../src/index.js';
import { cleanupProject, dockerExec, freePort, requireDocker, uniqueProject } from './support/docker.js';
import { deploy, tempOut } from './support/stacks.js';
import { STANDIN_MIRROR } from './support/standins.js';

const TOKEN = 'test-token-5f3a';
const PASSWORD = 'test-smtp-9c1e';

/** Every file under a directory, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n)) : [join(dir, n)]));
}

describe('Alertmanager on a real Docker Engine', () => {
  const project = uniqueProject('aixcl-am');
  const out = tempOut();
  after(() => cleanupProject(project));

  it('comes up healthy, reads its generated configuration, and gets its secrets as files only it can read', async () => {
    const port = await freePort();
    const app = new App();
    const stack = new Stack(app, 'shop', { projectName: project, networkMode: NetworkMode.BRIDGE, imageMirror: STANDIN_MIRROR });
    const alertmanager = new Alertmanager(stack, 'alertmanager', {
      port,
      defaultReceiver: Receiver.webhook('ops', { url: 'http://hooks.example.com/alerts', bearerToken: Secret.fromEnv('AM_WEBHOOK_TOKEN') }),
      routes: [
        {
          matchers: { severity: 'critical' },
          receiver: Receiver.email('oncall', {
            to: 'oncall@example.com',
            from: 'alerts@example.com',
            smarthost: 'smtp.example.com:587',
            authUsername: 'alerts',
            authPassword: Secret.fromEnv('AM_SMTP_PASSWORD'),
          }),
        },
      ],
    });
    for (const s of stack.node.findAll().filter(Service.isService)) s.addOverride('healthcheck.interval', '1s');

    const { result } = await deploy(app, out, { variables: { AM_WEBHOOK_TOKEN: TOKEN, AM_SMTP_PASSWORD: PASSWORD } });
    assert.equal(result.outcome, 'ok', JSON.stringify(result.services, null, 2));
    assert.deepEqual(
      result.services.map((s) => [s.service, s.outcome]),
      [['alertmanager', 'healthy']],
    );
    assert.equal((await fetch(`http://127.0.0.1:${port}/-/ready`)).status, 200);

    // No secret in any written file; the configuration names files on the tmpfs instead.
    for (const f of filesUnder(out)) {
      const text = readFileSync(f, 'utf8');
      assert.ok(!text.includes(TOKEN) && !text.includes(PASSWORD), `${f} holds a secret in clear`);
    }
    const config = parse(readFileSync(join(out, 'alertmanager', 'alertmanager.yml'), 'utf8'));
    assert.equal(config.receivers[0].webhook_configs[0].http_config.authorization.credentials_file, `${ALERTMANAGER_SECRETS_DIR}/AM_WEBHOOK_TOKEN`);
    assert.equal(config.receivers[1].email_configs[0].auth_password_file, `${ALERTMANAGER_SECRETS_DIR}/AM_SMTP_PASSWORD`);

    // Inside the container (the image's own user, nobody): the files hold the values, readable by it alone, in memory.
    const container = `${project}-alertmanager-1`;
    await requireDocker();
    assert.equal(await dockerExec(container, ['cat', `${ALERTMANAGER_SECRETS_DIR}/AM_WEBHOOK_TOKEN`]), TOKEN);
    assert.equal(await dockerExec(container, ['cat', `${ALERTMANAGER_SECRETS_DIR}/AM_SMTP_PASSWORD`]), PASSWORD);
    assert.equal(await dockerExec(container, ['stat', '-c', '%a %u', `${ALERTMANAGER_SECRETS_DIR}/AM_WEBHOOK_TOKEN`]), '600 65534');
    assert.match(await dockerExec(container, ['sh', '-c', `grep ' ${ALERTMANAGER_SECRETS_DIR} ' /proc/mounts`]), /^tmpfs /);
    // The server was started with the generated configuration, after the secrets were written (exec: it is PID 1).
    const cmdline = await dockerExec(container, ['sh', '-c', "tr '\\0' ' ' < /proc/1/cmdline"]);
    // (The stand-in's /bin/alertmanager is a script that runs its server; the arguments are what the real one gets.)
    assert.match(
      cmdline,
      / --config\.file=\/etc\/alertmanager\/alertmanager\.yml --storage\.path=\/alertmanager --web\.listen-address=0\.0\.0\.0:\d+ --cluster\.listen-address= $/,
    );
    assert.doesNotMatch(cmdline, /umask|printf/, 'the entrypoint script execs the server, which is PID 1');
    assert.equal(alertmanager.url, `http://alertmanager:${port}`);
  });
});
