// The run-time props checks (src/core/props.ts) and their compile-time tie to the props interfaces.
// The mistakes themselves are in the corpus (test/bad-input/), run through the CLI.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { closest, distance } from '../src/core/did-you-mean.js';
import { parseProps, propsSchema } from '../src/core/props.js';
import { AixclStack, App, LoggingOnlyStack, NetworkMode, RestartPolicy, Service, Size, Stack, Target, Testing } from '../src/index.js';
import { stackSchema } from '../src/core/stack.js';
import { problemsOf } from './support/problems.js';

describe('the schema and the props interface cannot drift', () => {
  // These lines are type-checked by `npm test` (tsc -p tsconfig.check.json): if the tie stopped
  // catching a difference, the @ts-expect-error directives would be unused, which tsc reports.
  test('a prop on one side only, or typed differently, does not compile', () => {
    interface Props {
      readonly a?: string;
      readonly b: number;
    }
    const ok = propsSchema<Props>()(z.strictObject({ a: z.string().optional(), b: z.number() }));
    // @ts-expect-error b is missing from the schema
    propsSchema<Props>()(z.strictObject({ a: z.string().optional() }));
    // @ts-expect-error c is not in the interface
    propsSchema<Props>()(z.strictObject({ a: z.string().optional(), b: z.number(), c: z.boolean().optional() }));
    // @ts-expect-error a is typed differently
    propsSchema<Props>()(z.strictObject({ a: z.number().optional(), b: z.number() }));
    // @ts-expect-error b is optional in the schema but required in the interface
    propsSchema<Props>()(z.strictObject({ a: z.string().optional(), b: z.number().optional() }));
    assert.equal(ok.safeParse({ b: 1 }).success, true);
  });
});

describe('props checks', () => {
  test('a prop with a problem falls back to its default, and the problem is reported once', () => {
    const app = new App();
    const stack = new Stack(app, 'shop');
    const web = new Service(stack, 'web', { image: 'nginx:1.27', restart: 'sometimes' as RestartPolicy });
    assert.equal(web.restart, RestartPolicy.UNLESS_STOPPED);
    const lines = problemsOf(app);
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0], /^\[shop\/web\] restart: the string 'sometimes' is not a RestartPolicy: use one of RestartPolicy\.NO/);
  });

  test("an enum's value is accepted as the member (they are the same string at run time)", () => {
    const app = new App();
    const stack = new Stack(app, 'shop');
    new Service(stack, 'web', { image: 'nginx:1.27', restart: 'always' as RestartPolicy });
    assert.match(Testing.synth(stack)['docker-compose.yml'], /restart: always/);
  });

  test('several problems of one construct are all reported', () => {
    const checked = parseProps(z.strictObject({ a: z.string().optional(), b: z.number().optional() }), { a: 1, b: 'x', c: true }, { owner: 'Thing' });
    assert.deepEqual(checked.problems, [
      "a must be a string, got the number 1: write '1'",
      "b must be a number, got the string 'x'",
      'c is not a prop of Thing: remove it (the props are a, b)',
    ]);
    assert.deepEqual(checked.props, {});
  });

  test("changing the caller's props object after new Service() changes nothing that was checked, and crashes nothing", () => {
    const app = new App();
    const stack = new Stack(app, 'shop');
    const props = { image: 'nginx:1.27', command: ['serve'], memoryLimit: Size.mebibytes(64), ports: [{ containerPort: 80 }], labels: { team: 'web' } };
    new Service(stack, 'web', props);
    Object.assign(props, { memoryLimit: '1g', image: 'Not An Image' });
    (props.command as unknown[]).push(42, null);
    (props.ports as unknown[]).push('8080:80');
    props.ports[0].containerPort = 81;
    props.labels.team = '$oops';
    const compose = Testing.synth(stack)['docker-compose.yml'];
    assert.match(compose, /image: nginx:1\.27\n/);
    assert.match(compose, /command:\n\s+- serve\n\s+ports:/);
    assert.match(compose, /target: 80\n/);
    assert.match(compose, /mem_limit: 64m\n/);
    assert.match(compose, /team: web\n/);
    assert.doesNotMatch(compose, /8080|target: 81/);
  });

  test('did-you-mean uses the edit distance', () => {
    assert.equal(distance('retension', 'retention'), 1);
    assert.equal(closest('comand', ['command', 'entrypoint']), 'command');
    assert.equal(closest('replicas', ['command', 'entrypoint']), undefined);
  });
});

describe('the stacks made of a Stack pass every Stack prop on', () => {
  // A subclass that lists the props it hands to super() can drop one silently (imageMirror was).
  const given = {
    projectName: 'given',
    bindAddress: '127.0.0.2',
    networkMode: NetworkMode.BRIDGE,
    imageMirror: 'mirror.example.com/hub',
    target: Target.SWARM,
  };
  test('the test gives every Stack prop', () => assert.deepEqual(Object.keys(given).sort(), Object.keys(stackSchema.shape).sort()));
  for (const [name, make] of [
    ['AixclStack', (app: App) => new AixclStack(app, 's', { ...given })],
    ['LoggingOnlyStack', (app: App) => new LoggingOnlyStack(app, 's', { ...given, targetProject: 'shop' })],
  ] as const) {
    test(name, () => {
      const stack = make(new App());
      assert.deepEqual(
        {
          projectName: stack.projectName,
          bindAddress: stack.bindAddress,
          networkMode: stack.networkMode,
          imageMirror: stack.imageMirror,
          target: stack.target,
        },
        given,
      );
    });
  }
});
