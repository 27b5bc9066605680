// Healthchecks and entrypoints that run a program their image lacks (src/compose/image-programs.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Alertmanager, Grafana, Healthcheck, Loki, Prometheus, Promtail, Service, Stack, Testing, ValidationError } from '../src/index.js';
import { programsRun, scriptPrograms } from '../src/compose/image-programs.js';

function problems(s: Stack): string {
  try {
    Testing.synth(s);
  } catch (e) {
    assert.ok(e instanceof ValidationError, String(e));
    return e.message;
  }
  return '';
}

function logging(lokiImage?: string) {
  const stack = new Stack(Testing.app(), 'shop');
  const loki = new Loki(stack, 'loki', lokiImage ? { image: lokiImage } : {});
  const promtail = new Promtail(stack, 'promtail', { loki });
  return { stack, loki, promtail };
}

describe('programs in images', () => {
  it('reads the programs of an argv and of a shell script', () => {
    assert.deepEqual(programsRun(['/bin/sh', '-c', 'A=1 wget -q -O- http://x && exec /bin/loki || curl x; nc -z x 1 | grep y']), [
      'sh',
      'wget',
      'loki',
      'curl',
      'nc',
      'grep',
    ]);
    assert.deepEqual(scriptPrograms("exec 3<>/dev/tcp/127.0.0.1/9080 && printf 'GET /ready' >&3"), ['printf']);
  });

  it('refuses wget on Loki 3.6+ (set with setHealthcheck), naming the probe that works', () => {
    const { stack, loki } = logging();
    loki.service.setHealthcheck(Healthcheck.wget('http://localhost:3100/ready'));
    assert.match(
      problems(stack),
      /\[shop\/loki\/Service\] healthcheck runs wget, but image grafana\/loki:3\.7\.6 has no sh, bash, wget or curl: it can never pass; use Loki's own health command: Healthcheck\.command\(\['\/usr\/bin\/loki', '-health'\]\)/,
    );
  });

  it('accepts wget on Loki 3.5, whose image has busybox', () => {
    const { stack, loki } = logging('grafana/loki:3.5.7');
    loki.service.setHealthcheck(Healthcheck.wget('http://localhost:3100/ready'));
    assert.doesNotMatch(problems(stack), /healthcheck runs/);
  });

  it('refuses curl given to Promtail by an override, and a shell line on Loki', () => {
    const { stack, loki, promtail } = logging();
    promtail.service.addOverride('healthcheck.test', ['CMD-SHELL', 'curl -fsS http://localhost:9080/ready']);
    loki.service.addOverride('entrypoint', ['/bin/sh', '-c', 'exec /usr/bin/loki "$$@"']);
    const msg = problems(stack);
    assert.match(
      msg,
      /\[shop\/promtail\/Service\] healthcheck runs curl, but image grafana\/promtail:[^ ]+ has no wget or curl: it can never pass; use a bash probe through \/dev\/tcp/,
    );
    assert.match(
      msg,
      /\[shop\/loki\/Service\] entrypoint runs sh, but image grafana\/loki:3\.7\.6 has no sh, bash, wget or curl: the container can never start/,
    );
  });

  it('refuses curl on Prometheus and bash on Alertmanager (busybox), accepts their defaults and Grafana with curl', () => {
    const stack = new Stack(Testing.app(), 'shop');
    const prometheus = new Prometheus(stack, 'prometheus');
    new Alertmanager(stack, 'alertmanager');
    const grafana = new Grafana(stack, 'grafana');
    grafana.service.setHealthcheck(Healthcheck.curl('http://localhost:3000/api/health'));
    assert.equal(problems(stack), '');
    prometheus.service.setHealthcheck(Healthcheck.curl('http://localhost:9090/-/ready'));
    const am = new Alertmanager(new Stack(Testing.app(), 'other'), 'alertmanager');
    am.service.setHealthcheck(Healthcheck.command(['bash', '-c', 'true']));
    assert.match(
      problems(stack),
      /\[shop\/prometheus\/Service\] healthcheck runs curl, but image prom\/prometheus:[^ ]+ has no bash or curl: .*use busybox's wget: Healthcheck\.wget/,
    );
    assert.match(problems(Stack.of(am)), /\[other\/alertmanager\/Service\] healthcheck runs bash/);
  });

  it('does not judge an image it knows nothing of', () => {
    const stack = new Stack(Testing.app(), 'shop');
    new Service(stack, 'web', { image: 'nginx:1.27', healthcheck: Healthcheck.curl('http://localhost/') });
    assert.equal(problems(stack), '');
  });
});
