/** Stack.imageMirror: every image of a stack pulled from one registry, by the stack's own API or AIXCL_IMAGE_MIRROR. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { AixclStack, App, Image, NetworkMode, Service, Stack, Testing } from '../src/index.js';
import { synthCli } from './support/cli.js';
import { assertProblem } from './support/problems.js';
import { STANDIN_MIRROR, standInFor, standInName, standInSpecs } from './support/standins.js';
import { tempDir } from './support/temp.js';

function composeImages(stack: Stack): Record<string, { image: string; labels: Record<string, string> }> {
  return (parse(Testing.synth(stack)['docker-compose.yml']) as { services: Record<string, { image: string; labels: Record<string, string> }> }).services;
}

describe('Image.inMirror', () => {
  it("keeps Docker Hub paths (official images under library/), and puts other registries' host first", () => {
    const m = 'registry.example.com:5000/hub';
    const cases: Array<[string, string]> = [
      ['grafana/loki:3.7.6', `${m}/grafana/loki:3.7.6`],
      ['postgres:17.6', `${m}/library/postgres:17.6`],
      ['docker.io/library/postgres:17', `${m}/library/postgres:17`],
      ['docker.io/busybox', `${m}/library/busybox`],
      ['index.docker.io/grafana/grafana:13.0.1', `${m}/grafana/grafana:13.0.1`],
      ['ghcr.io/open-webui/open-webui:v0.6.30', `${m}/ghcr.io/open-webui/open-webui:v0.6.30`],
      // A registry with a port (the user's own) is not mirrored: MIRROR/localhost:5000/... is no valid reference.
      ['localhost:5000/team/app@sha256:' + 'a'.repeat(64), `localhost:5000/team/app@sha256:${'a'.repeat(64)}`],
      ['registry.internal:5000/team/app:1', 'registry.internal:5000/team/app:1'],
      [`${m}/grafana/loki:3.7.6`, `${m}/grafana/loki:3.7.6`],
    ];
    for (const [from, to] of cases) assert.equal(Image.of(from).inMirror(m).ref, to, from);
  });

  it('a mirror must start with a registry host', () => {
    assert.equal(Image.mirrorProblem('registry.example.com:5000/hub'), undefined);
    assert.equal(Image.mirrorProblem('localhost:5000'), undefined);
    assert.equal(Image.mirrorProblem('localhost'), undefined);
    assert.match(Image.mirrorProblem('mirror')!, /does not start with a registry host .*Docker Hub account/);
    assert.match(Image.mirrorProblem('registry.example.com/Hub')!, /is not a registry host with an optional path/);
    assert.match(Image.mirrorProblem('https://registry.example.com')!, /is not a registry host/);
    assert.match(Image.mirrorProblem('registry.example.com/')!, /is not a registry host/);
  });
});

describe('Stack imageMirror', () => {
  it('renames every image in the compose file (and the image label), and nothing the constructs derive from the version', () => {
    const plain = new AixclStack(new App(), 'aixcl', { networkMode: NetworkMode.BRIDGE });
    const mirrored = new AixclStack(new App(), 'aixcl', { networkMode: NetworkMode.BRIDGE, imageMirror: 'mirror.example.com/hub' });
    const a = composeImages(plain);
    const b = composeImages(mirrored);
    assert.deepEqual(Object.keys(b), Object.keys(a));
    for (const name of Object.keys(a)) {
      assert.equal(b[name].image, Image.of(a[name].image).inMirror('mirror.example.com/hub').ref, name);
      assert.equal(b[name].labels['dev.aixcl.image'], b[name].image, name);
    }
    assert.equal(b.loki.image, 'mirror.example.com/hub/grafana/loki:3.7.6');
    assert.equal(b.postgres.image, 'mirror.example.com/hub/library/postgres:17.6');
    // Only the image names differ: the Loki healthcheck chosen from the version is the same.
    const files = (s: Stack) => Testing.synth(s);
    const strip = (t: string) => t.replace(/mirror\.example\.com\/hub\/(library\/)?/g, '');
    assert.equal(strip(files(mirrored)['docker-compose.yml']), files(plain)['docker-compose.yml'].replace(/docker\.io\//g, ''));
  });

  it('an invalid mirror is a problem of the stack, with its path', () => {
    const app = new App();
    new Service(new Stack(app, 's', { imageMirror: 'mirror' }), 'web', { image: 'nginx:1.27' });
    assertProblem(app, "[s] imageMirror 'mirror' does not start with a registry host");
  });

  it('defaults to AIXCL_IMAGE_MIRROR, also for stack files the CLI loads', () => {
    const before = process.env.AIXCL_IMAGE_MIRROR;
    try {
      process.env.AIXCL_IMAGE_MIRROR = 'mirror.example.com';
      assert.equal(new Stack(new App(), 's').imageMirror, 'mirror.example.com');
      assert.equal(new Stack(new App(), 's', { imageMirror: 'other.example.com' }).imageMirror, 'other.example.com');
      process.env.AIXCL_IMAGE_MIRROR = 'no-host';
      const app = new App();
      new Service(new Stack(app, 's'), 'web', { image: 'nginx:1.27' });
      assertProblem(
        app,
        "[s] imageMirror 'no-host' does not start with a registry host (a name with a '.' or a ':port', or localhost): Docker would read 'no-host' as a Docker Hub account (from AIXCL_IMAGE_MIRROR)",
      );
      process.env.AIXCL_IMAGE_MIRROR = '';
      assert.equal(new Stack(new App(), 's').imageMirror, undefined);
    } finally {
      if (before === undefined) delete process.env.AIXCL_IMAGE_MIRROR;
      else process.env.AIXCL_IMAGE_MIRROR = before;
    }
  });
});

describe('aixcl-synth with AIXCL_IMAGE_MIRROR', () => {
  it("writes the default stack with mirrored images; an invalid one is exit 2 with the stack's path", () => {
    const out = join(tempDir('mirror'), 'out');
    const r = synthCli(['--out', out, '--quiet'], undefined, { AIXCL_IMAGE_MIRROR: 'mirror.example.com/hub' });
    assert.equal(r.code, 0, r.stderr);
    const doc = parse(readFileSync(join(out, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { image: string }> };
    assert.equal(doc.services.loki.image, 'mirror.example.com/hub/grafana/loki:3.7.6');
    assert.ok(Object.values(doc.services).every((s) => s.image.startsWith('mirror.example.com/hub/')));
    const bad = synthCli(['--out', join(tempDir('mirror'), 'out')], undefined, { AIXCL_IMAGE_MIRROR: 'mirror' });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /\[aixcl\] imageMirror 'mirror' does not start with a registry host .*\(from AIXCL_IMAGE_MIRROR\)/);
    assert.doesNotMatch(bad.stderr, /\n\s+at /);
  });
});

describe("the deploy tests' stand-ins", () => {
  it("are named under aixcl-standin.invalid/ through the stack's imageMirror, keeping each real image's family; a real name is refused", () => {
    const app = new App();
    new AixclStack(app, 'aixcl', { imageMirror: STANDIN_MIRROR });
    const specs = standInSpecs(app.synthesize());
    assert.ok(specs.length >= 11, `${specs.length} stand-ins`);
    for (const s of specs) assert.ok(s.image.startsWith('aixcl-standin.invalid/'), s.image);
    const family = Object.fromEntries(specs.map((s) => [s.image, s.family]));
    assert.equal(family['aixcl-standin.invalid/grafana/loki:3.7.6'], 'loki');
    assert.equal(family['aixcl-standin.invalid/library/postgres:17.6'], 'postgres');
    assert.equal(family['aixcl-standin.invalid/prometheuscommunity/postgres-exporter:v0.17.1'], 'postgres-exporter');
    assert.equal(family['aixcl-standin.invalid/ghcr.io/open-webui/open-webui:v0.6.33'], 'open-webui');
    assert.equal(standInFor(standInName('grafana/loki:3.6.2')).lokiHealth, false, 'the Loki version still decides what the stand-in has');

    const unmirrored = new App();
    new AixclStack(unmirrored, 'aixcl');
    assert.throws(
      () => standInSpecs(unmirrored.synthesize()),
      /not under aixcl-standin\.invalid\/, so their stand-ins would take real names: .*grafana\/loki:3\.7\.6/,
    );
  });
});
