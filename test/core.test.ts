import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Construct } from 'constructs';
import {
  App,
  DependencyCondition,
  DocumentFile,
  Duration,
  Image,
  MANIFEST_FILE,
  NetworkMode,
  Overrides,
  RestartPolicy,
  Service,
  Size,
  Stack,
  Testing,
  ValidationError,
  writeSynthesis,
} from '../src/index.js';
import { tempDir } from './support/temp.js';

describe('new Kind(scope, id): the scope and id a JavaScript caller gives are checked before the constructs library sees them', () => {
  test('a name for a scope, a number or empty id, a "/" in an id: one sentence each, naming the class and the fix', () => {
    const stack = new Stack(new App(), 'shop');
    const js = (x: unknown) => x as never;
    assert.throws(() => new Service(js('shop'), 'web', { image: 'nginx:1.27' }), {
      name: 'UserError',
      message: "new Service(scope, id, ...): scope must be a construct (the Stack, or a construct in it), got the string 'shop'",
    });
    assert.throws(() => new Service(stack, js(42), { image: 'nginx:1.27' }), {
      message: "new Service(scope, id, ...): id must be a name such as 'web', got the number 42",
    });
    assert.throws(() => new Service(stack, 'a/b', { image: 'nginx:1.27' }), {
      message: "new Service(scope, id, ...): id 'a/b' holds '/', which separates the parts of a construct path: write 'a-b'",
    });
    assert.throws(() => new Stack(js(undefined), 'shop'), {
      message: 'new Stack(scope, id, ...): scope must be a construct (the App (new App())), got undefined',
    });
    // Nothing half-made is left in the tree.
    assert.deepEqual(
      stack.node.children.map((c) => c.node.id),
      [],
    );
  });
});

describe('Duration', () => {
  test('renders Go durations without days', () => {
    assert.equal(Duration.days(7).toGoString(), '168h');
    assert.equal(Duration.minutes(90).toGoString(), '1h30m');
    assert.equal(Duration.seconds(0).toGoString(), '0s');
    assert.equal(Duration.millis(1500).toGoString(), '1s500ms');
  });
  test('parses Go and day notation', () => {
    assert.equal(Duration.parse('7d').toHours(), 168);
    assert.equal(Duration.parse('1h30m').toSeconds(), 5400);
    assert.throws(() => Duration.parse('7 days'), /not a duration/);
    assert.throws(() => Duration.parse(''), /not a duration/);
  });
  test('rejects negative durations', () => {
    assert.throws(() => Duration.hours(-1), /non-negative/);
  });
});

describe('Size', () => {
  test('renders exact compose and Go notations', () => {
    assert.equal(Size.mebibytes(512).toComposeString(), '512m');
    assert.equal(Size.gibibytes(2).toComposeString(), '2g');
    assert.equal(Size.bytes(1500).toComposeString(), '1500b');
    assert.equal(Size.mebibytes(410).toGoMemLimit(), '410MiB');
  });
  test('a refused size is named as written, not in the bytes it makes', () => {
    assert.throws(() => Size.mebibytes(-1), { message: 'Size.mebibytes(-1) is not a size: give a number of 0 or more' });
    assert.throws(() => Size.bytes(1.5), { message: 'Size.bytes(1.5) is 1.5 bytes, not a whole number: round it, e.g. Size.bytes(2)' });
    assert.throws(() => Size.kibibytes(0.3), { message: 'Size.kibibytes(0.3) is 307.2 bytes, not a whole number: round it, e.g. Size.bytes(307)' });
    // A JavaScript user's string is refused, not multiplied into a number.
    assert.throws(() => Size.gibibytes('2' as unknown as number), { message: "Size.gibibytes('2') is not a size: give a number of 0 or more" });
    assert.equal(Size.mebibytes(0.5).bytes, 512 * 1024);
  });
});

describe('Image', () => {
  test('parses repository, tag and version', () => {
    const i = Image.of('grafana/loki:3.7.6');
    assert.equal(i.repository, 'grafana/loki');
    assert.equal(i.tag, '3.7.6');
    assert.deepEqual(i.version, { major: 3, minor: 7, patch: 6 });
    assert.equal(i.compareVersion('3.6.5')! > 0, true);
    assert.equal(i.compareVersion('3.7.6'), 0);
    assert.deepEqual(Image.of('grafana/alloy:v1.19.2').version, { major: 1, minor: 19, patch: 2 });
    assert.deepEqual(Image.of('localhost:5000/x/y:3.6.5-amd64').version, { major: 3, minor: 6, patch: 5 });
  });
  test('a major-only tag has a major version but no full version', () => {
    assert.equal(Image.of('postgres:17').majorVersion, 17);
    assert.equal(Image.of('postgres:17-alpine').majorVersion, 17);
    assert.equal(Image.of('postgres:17').version, undefined, 'grafana/loki:3 must not pass for 3.0.0');
    assert.equal(Image.of('postgres:latest').majorVersion, undefined);
  });

  test('a tag that is not a version has no version', () => {
    assert.equal(Image.of('grafana/loki:latest').version, undefined);
    assert.equal(Image.of('grafana/loki').version, undefined);
    assert.equal(Image.of(`grafana/loki@sha256:${'ab'.repeat(32)}`).version, undefined);
  });
  test('rejects malformed references', () => {
    assert.throws(() => Image.of('Grafana/Loki:1'), /must be lower case: write 'grafana\/loki:1'/);
    assert.throws(() => Image.of('a b'), /contains white space/);
    assert.throws(() => Image.of('busybox:1.0+build'), /invalid tag '1\.0\+build'.*'\+' cannot appear in a tag/);
    assert.throws(() => Image.of('busybox@sha256:abc'), /invalid digest/);
    assert.throws(() => Image.of('a--b_-c'), /invalid repository name component/);
    for (const ok of ['localhost:5000/a/b:1', 'Registry.Example.com/x', '[::1]:5000/x:v_1', 'a__b/c-d--e:_x']) assert.equal(Image.of(ok).ref, ok);
  });
});

describe('Overrides', () => {
  test('sets nested keys, escapes dots, deletes with undefined, leaves the input alone', () => {
    const o = new Overrides();
    o.add('a.b.c', 1);
    o.add('labels.com\\.example\\.x', 'y');
    o.add('gone', undefined);
    const input = { a: { keep: true }, gone: 1 };
    assert.deepEqual(o.applyTo(input), { a: { keep: true, b: { c: 1 } }, labels: { 'com.example.x': 'y' } });
    assert.deepEqual(input, { a: { keep: true }, gone: 1 });
  });
  test('rejects empty keys', () => {
    assert.throws(() => new Overrides().add('a..b', 1), /empty key/);
  });
});

class NoteFile extends DocumentFile {
  constructor(
    scope: Construct,
    id: string,
    private readonly body: Record<string, unknown>,
  ) {
    super(scope, id, { filePath: `notes/${id}.yml` });
  }
  protected buildDocument(): unknown {
    return this.body;
  }
  protected override checkDocument(doc: unknown): void {
    if ('forbidden' in (doc as object)) this.fail(`key 'forbidden' is not allowed: remove it`);
  }
}

function tinyApp(): { app: App; stack: Stack } {
  const app = new App();
  const stack = new Stack(app, 'tiny');
  new Service(stack, 'web', { image: 'busybox:1.36', ports: [{ containerPort: 8080 }] });
  return { app, stack };
}

describe('synthesis', () => {
  test('is deterministic: same tree, same bytes', () => {
    const a = Testing.synth(tinyApp().stack);
    const b = Testing.synth(tinyApp().stack);
    assert.deepEqual(a, b);
    assert.ok(a['docker-compose.yml'].startsWith('# Generated by aixcl-cdk'));
  });

  test('collects every problem at once, each with its construct path', () => {
    const app = new App();
    const stack = new Stack(app, 'Bad');
    new Service(stack, 'a', { image: 'busybox:1', serviceName: 'same' });
    new Service(stack, 'b', { image: 'busybox:1', serviceName: 'same', environment: { DB_PASSWORD: 'hunter2' } });
    let e: ValidationError | undefined;
    try {
      app.synthesize();
    } catch (x) {
      e = x as ValidationError;
    }
    assert.ok(e instanceof ValidationError);
    const lines = e.problems.map((p) => `[${p.path}] ${p.message}`);
    assert.ok(
      lines.some((l) => l.startsWith("[Bad] project name 'Bad' is not a valid Compose project name")),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) => l.startsWith('[Bad/b] environment variable DB_PASSWORD looks like a secret')),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) => l.startsWith("[Bad] service name 'same' is used by Bad/a and Bad/b")),
      lines.join('\n'),
    );
    assert.match(e.message, /^3 problems in the stack; nothing was written:/);
  });

  test("what one synthesis remembers (the stack's services, each dashboard's problems) is not reused by the next", () => {
    // Checks are computed once per synthesis (memoInRenderSession); a tree changed between two
    // syntheses must be checked as it is now. Here the second synthesis must see the service added
    // after the first, which waits for a job that restarts forever.
    const app = new App();
    const stack = new Stack(app, 'shop');
    const migrate = new Service(stack, 'migrate', { image: 'acme/migrate:1', restart: RestartPolicy.ALWAYS });
    assert.equal(app.synthesize().length, 1);
    const api = new Service(stack, 'api', { image: 'nginx:1.27', restart: RestartPolicy.NO });
    api.addDependency(migrate, { condition: DependencyCondition.COMPLETED_SUCCESSFULLY });
    assert.throws(() => app.synthesize(), /\[shop\/migrate\] is a one-shot job \(shop\/api waits for it/);
  });

  test('an app without stacks is an error', () => {
    assert.throws(() => new App().synthesize(), /the app has no stack/);
  });

  test('overrides on a document file are checked after they apply', () => {
    const { app, stack } = tinyApp();
    const f = new NoteFile(stack, 'n', { ok: 1 });
    f.addOverride('forbidden', true);
    assert.throws(() => app.synthesize(), /\[tiny\/n\] key 'forbidden' is not allowed: remove it/);
  });

  test('a file path outside the output directory is rejected', () => {
    const { app, stack } = tinyApp();
    class Bad extends DocumentFile {
      constructor(s: Construct) {
        super(s, 'bad', { filePath: '../outside.yml' });
      }
      protected buildDocument(): unknown {
        return {};
      }
    }
    new Bad(stack);
    assert.throws(() => app.synthesize(), /\[tiny\/bad\] file path '\.\.\/outside\.yml' must be relative/);
  });
});

describe('writeSynthesis', () => {
  const tmp = () => tempDir('core');

  test('writes every file and a manifest with their hashes', () => {
    const out = join(tmp(), 'out');
    const result = writeSynthesis(out, tinyApp().app.synthesize());
    assert.deepEqual(result.files, ['docker-compose.yml', MANIFEST_FILE]);
    assert.deepEqual(result.written, result.files);
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST_FILE), 'utf8'));
    assert.equal(manifest.project, 'tiny');
    assert.equal(manifest.files[0].path, 'docker-compose.yml');
    assert.match(manifest.files[0].sha256, /^[0-9a-f]{64}$/);
  });

  test('an invalid stack writes nothing and leaves an earlier output as it was', () => {
    const dir = tmp();
    const out = join(dir, 'out');
    writeSynthesis(out, tinyApp().app.synthesize());
    const before = readFileSync(join(out, 'docker-compose.yml'), 'utf8');
    const bad = new App({ outdir: out });
    new Service(new Stack(bad, 'tiny'), 'web', { image: 'busybox:1', ports: [{ containerPort: 70000 }] });
    assert.throws(() => bad.synth(), /ports\[0\]\.containerPort must be at most 65535, got the number 70000/);
    assert.equal(readFileSync(join(out, 'docker-compose.yml'), 'utf8'), before);
    assert.deepEqual(readdirSync(dir), ['out'], 'no temporary directory is left behind');
  });

  test('updates an existing output in place: unchanged files untouched, old ones removed, user files kept', () => {
    const out = join(tmp(), 'out');
    const build = (withConf: boolean, value: number) => {
      const { app, stack } = tinyApp();
      if (withConf) new NoteFile(stack, 'conf', { value });
      return app.synthesize();
    };
    writeSynthesis(out, build(true, 1));
    const composeInode = statSync(join(out, 'docker-compose.yml')).ino;
    const dirInode = statSync(out).ino;
    writeFileSync(join(out, '.env'), 'SECRET=1\n');

    const changed = writeSynthesis(out, build(true, 2));
    assert.deepEqual(changed.written, ['notes/conf.yml', MANIFEST_FILE]);
    assert.deepEqual(changed.unchanged, ['docker-compose.yml']);
    assert.equal(statSync(join(out, 'docker-compose.yml')).ino, composeInode, 'an unchanged file is not rewritten');
    assert.equal(statSync(out).ino, dirInode, 'the directory stays the same, so bind mounts of it stay live');

    const dropped = writeSynthesis(out, build(false, 0));
    assert.deepEqual(dropped.removed, ['notes/conf.yml']);
    assert.equal(existsSync(join(out, 'notes')), false, 'emptied directories are removed');
    assert.equal(readFileSync(join(out, '.env'), 'utf8'), 'SECRET=1\n', "the user's own file is kept");
  });

  test('a tampered manifest cannot make it delete files outside the output directory', () => {
    const dir = tmp();
    const out = join(dir, 'out');
    writeSynthesis(out, tinyApp().app.synthesize());
    writeFileSync(join(dir, 'victim.txt'), 'keep');
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST_FILE), 'utf8'));
    manifest.files.push({ path: '../victim.txt', sha256: 'x', bytes: 1 }, { path: join(dir, 'victim.txt'), sha256: 'x', bytes: 1 });
    writeFileSync(join(out, MANIFEST_FILE), JSON.stringify(manifest));
    const result = writeSynthesis(out, tinyApp().app.synthesize());
    assert.deepEqual(result.removed, []);
    assert.equal(readFileSync(join(dir, 'victim.txt'), 'utf8'), 'keep');
  });

  test('an output path that is a file is an error', () => {
    const file = join(tmp(), 'file');
    writeFileSync(file, 'x');
    assert.throws(() => writeSynthesis(file, tinyApp().app.synthesize()), /the output path .* is a file: give a directory with --out/);
    assert.equal(readFileSync(file, 'utf8'), 'x');
  });

  test('refuses to replace a directory it did not write', () => {
    const out = join(tmp(), 'mine');
    mkdirSync(out);
    writeFileSync(join(out, 'precious.txt'), 'keep');
    assert.throws(() => writeSynthesis(out, tinyApp().app.synthesize()), /holds files that aixcl-cdk did not write/);
    assert.equal(readFileSync(join(out, 'precious.txt'), 'utf8'), 'keep');
  });
});

describe('Testing.matchSnapshot', () => {
  test('writes a missing snapshot, passes on a match, and names the differing file on a mismatch', () => {
    const snap = join(tempDir('snap'), 's.snap');
    const saved = process.env.CI;
    delete process.env.CI;
    try {
      Testing.matchSnapshot({ 'a.yml': 'x: 1\n' }, snap);
      assert.ok(existsSync(snap));
      Testing.matchSnapshot({ 'a.yml': 'x: 1\n' }, snap);
      assert.throws(() => Testing.matchSnapshot({ 'a.yml': 'x: 2\n' }, snap), /a\.yml differ[\s\S]*- x: 1[\s\S]*\+ x: 2/);
    } finally {
      if (saved !== undefined) process.env.CI = saved;
    }
  });
  test('under CI a missing snapshot fails instead of being written', () => {
    const snap = join(tempDir('snap'), 'missing.snap');
    const saved = process.env.CI;
    process.env.CI = 'true';
    try {
      assert.throws(() => Testing.matchSnapshot({ 'a.yml': '' }, snap), /is missing/);
      assert.equal(existsSync(snap), false);
    } finally {
      if (saved === undefined) delete process.env.CI;
      else process.env.CI = saved;
    }
  });
});

describe('Overrides in arrays', () => {
  test('a numeric key indexes an existing array', () => {
    const o = new Overrides();
    o.add('jobs.1.interval', '5s');
    o.add('jobs.0', undefined);
    assert.deepEqual(o.applyTo({ jobs: [{ name: 'a' }, { name: 'b' }] }), { jobs: [{ name: 'b', interval: '5s' }] });
  });
});

describe('Stack.hostnameOf', () => {
  test('host networking: localhost for loopback and wildcard, the address itself otherwise', () => {
    const app = new App();
    assert.equal(new Stack(app, 'a', { networkMode: NetworkMode.HOST }).hostnameOf('x'), 'localhost');
    assert.equal(new Stack(app, 'b', { networkMode: NetworkMode.HOST, bindAddress: '0.0.0.0' }).hostnameOf('x'), 'localhost');
    assert.equal(new Stack(app, 'c', { networkMode: NetworkMode.HOST, bindAddress: '192.168.1.5' }).hostnameOf('x'), '192.168.1.5');
    assert.equal(new Stack(app, 'd', { bindAddress: '192.168.1.5' }).hostnameOf('x'), 'x');
  });
});

describe('follow-ons: one report per mistake', () => {
  test("a file check's part about a value of a construct that has its own problem is left out, the rest kept", async () => {
    const { FileProblemsError } = await import('../src/core/errors.js');
    const { withoutFollowOns } = await import('../src/core/synthesizer.js');
    const file = new FileProblemsError('s/File', 'the file would not load', [
      { message: 'a: wrong', after: 's/a' },
      { message: 'b: wrong', after: 's/b' },
      { message: 'c: set by an override' },
    ]);
    const found = [
      { path: 's/a', message: 'a is wrong: fix it' },
      { path: file.path, message: file.problemMessage, file },
      { path: 's', message: 'follows from a', after: ['s/a'] },
      { path: 's', message: 'follows from b', after: ['s/b'] },
    ];
    assert.deepEqual(withoutFollowOns(found), [
      { path: 's/a', message: 'a is wrong: fix it' },
      { path: 's/File', message: 'the file would not load: b: wrong; c: set by an override' },
      { path: 's', message: 'follows from b' },
    ]);
    // Every part a follow-on: no message at all.
    const only = new FileProblemsError('s/File', 'the file would not load', [{ message: 'a: wrong', after: 's/a' }]);
    assert.deepEqual(withoutFollowOns([found[0], { path: only.path, message: only.problemMessage, file: only }]), [found[0]]);
  });
});
