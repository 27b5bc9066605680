import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { ImageVersion } from '../src/core/image.js';
import { Testing } from '../src/index.js';
import { loadApp } from '../src/cli/load-stack.js';
import { formatLokiIssues } from '../src/loki/loki-config-issues.js';
import { checkLokiConfig, createLokiConfigSchema } from '../src/loki/loki-config-schema.js';

/*
 * checkLokiConfig walks the document beside the key tree instead of parsing it
 * with the zod schema of createLokiConfigSchema. Both must find the same: the
 * same messages, in the same order, for valid documents and for broken ones.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
type Doc = Record<string, any>;

const v = (minor: number): ImageVersion => ({ major: 3, minor, patch: 0 });
const VERSIONS: readonly (ImageVersion | undefined)[] = [undefined, v(0), v(1), v(2), v(4), v(5), v(6), v(7)];

const schemas = new Map<string, ReturnType<typeof createLokiConfigSchema>>();

/** What checkLokiConfig returned before the walker: the zod schema's issues, formatted. */
function zodCheck(doc: unknown, version?: ImageVersion): string[] {
  const key = version ? `${version.major}.${version.minor}` : '';
  let schema = schemas.get(key);
  if (!schema) {
    schema = createLokiConfigSchema({ version });
    schemas.set(key, schema);
  }
  return formatLokiIssues(schema.safeParse(doc).error?.issues ?? [], version);
}

function assertSame(doc: unknown, version: ImageVersion | undefined, label: string): string[] {
  const walked = checkLokiConfig(doc, { version });
  assert.deepEqual(walked, zodCheck(doc, version), `${label} (Loki ${version ? `3.${version.minor}` : 'reference'})`);
  return walked;
}

let base: Doc;

before(async () => {
  const app = await loadApp(join(ROOT, 'stacks', 'aixcl.ts'), {});
  base = parse(Testing.synth(app.stacks[0])['loki/loki-config.yml']) as Doc;
});

const clone = (): Doc => structuredClone(base);

/** A mutation in place, returning the document it changed. */
const on =
  (change: (d: Doc) => unknown) =>
  (d: Doc): Doc => (change(d), d);

/** Whether the problems found are the ones a mutation is meant to cause. */
type Expected = string | RegExp | ((text: string) => boolean);

/**
 * Broken documents, made from a copy of the default one, each with what its
 * problems must contain (so a mutation that misses its target fails the test).
 */
const MUTATIONS: ReadonlyArray<readonly [label: string, broken: (d: Doc) => unknown, expected: Expected]> = [
  ['unknown top-level key', on((d) => (d.bogus_block = { a: 1 })), '`bogus_block` is not a setting'],
  ['misspelt top-level key', on((d) => ((d.limit_config = d.limits_config), delete d.limits_config)), 'did you mean `limits_config`?'],
  ['unknown key in a block', on((d) => (d.server.http_listen_prot = 1)), 'did you mean `http_listen_port`?'],
  ['unknown key deep in nested blocks', on((d) => (d.common.storage.filesystem.chunk_dir = '/x')), '`common.storage.filesystem.chunk_dir`'],
  ['unknown key in a list of blocks', on((d) => (d.schema_config.configs[0].stor = 'tsdb')), '`schema_config.configs[0].stor` is not a setting'],
  ['unknown key in a block inside a list', on((d) => (d.schema_config.configs[0].index.perid = '24h')), 'did you mean `period`?'],
  ['unknown keys in several blocks', on((d) => ((d.server.a = 1), (d.server.b = 2), (d.compactor.c = 3), (d.z = 4))), '`server.b`'],
  ['unknown key in a block with inlined keys', on((d) => (d.compactor_grpc_client = { grpc_compresion: 'gzip' })), 'did you mean `grpc_compression`?'],
  ['removed key', on((d) => (d.compactor.shared_store = 'filesystem')), 'removed in Loki 3.0 (the index now goes'],
  ['removed key in storage_config', on((d) => (d.storage_config = { boltdb_shipper: { shared_store: 's3' } })), '`storage_config.boltdb_shipper.shared_store`'],
  ['own __proto__ key', (d) => JSON.parse(JSON.stringify({ ...d, x: 1 }).replace('"x":1', '"__proto__":1')), '`__proto__`'],
  ['boolean as a string', on((d) => (d.auth_enabled = 'false')), '`auth_enabled` must be true or false'],
  ['int as a string', on((d) => (d.server.http_listen_port = '3100')), 'unquoted (Loki refuses a string here, even "1000")'],
  ['int with a fraction', on((d) => (d.server.http_listen_port = 3100.5)), '`server.http_listen_port` must be a whole number'],
  ['int beyond 2^53', on((d) => (d.server.http_listen_port = 2 ** 60)), '`server.http_listen_port` must be a whole number'],
  ['int as NaN', on((d) => (d.server.http_listen_port = Number.NaN)), 'must be a whole number, unquoted'],
  ['size as a boolean', on((d) => (d.limits_config.max_line_size = true)), '`limits_config.max_line_size` must be a number of bytes'],
  ['size with an unknown unit', on((d) => (d.limits_config.max_line_size = '5 parsecs')), '`limits_config.max_line_size` must be a number of bytes'],
  ['size with a fraction', on((d) => (d.limits_config.max_line_size = 1.5)), 'must be a number of bytes'],
  ['negative size', on((d) => (d.limits_config.max_line_size = -1)), 'must not be negative: write a number of bytes'],
  ['size beyond 2^53', on((d) => (d.limits_config.max_line_size = 2 ** 60)), 'must be between 0 and 9007199254740991 bytes when written as a number'],
  ['size below -2^53', on((d) => (d.limits_config.max_line_size = -(2 ** 60))), 'must not be negative'],
  ['float as a string', on((d) => (d.limits_config.ingestion_rate_mb = '4')), '`limits_config.ingestion_rate_mb` must be a number, unquoted'],
  ['float as Infinity', on((d) => (d.limits_config.ingestion_rate_mb = Infinity)), 'must be a number, unquoted'],
  ['duration as a number', on((d) => (d.limits_config.retention_period = 5)), '`limits_config.retention_period` must be a duration'],
  ['duration misspelt', on((d) => (d.compactor.compaction_interval = '10 minutes')), '`compactor.compaction_interval` must be a duration'],
  ['string as a mapping', on((d) => (d.common.path_prefix = { a: 1 })), '`common.path_prefix` must be a single value'],
  ['string as a list', on((d) => (d.target = ['all'])), '`target` must be a single value'],
  ['string[] as a string', on((d) => (d.common.instance_interface_names = 'eth0')), 'must be a list of strings'],
  [
    'string[] with a mapping in it',
    on((d) => (d.common.instance_interface_names = ['eth0', { a: 1 }, null])),
    '`common.instance_interface_names[2]` must be a single value',
  ],
  ['list as a string', on((d) => (d.limits_config.retention_stream = 'x')), '`limits_config.retention_stream` must be a list'],
  ['map as a list', on((d) => (d.schema_config.configs[0].index.tags = ['a'])), '`schema_config.configs[0].index.tags` must be a mapping'],
  ['map as a Date', on((d) => (d.schema_config.configs[0].index.tags = new Date(0))), '`schema_config.configs[0].index.tags` must be a mapping'],
  ['free-form block as a class instance', on((d) => (d.internal_server = new URL('http://x'))), '`internal_server` must be a mapping of settings'],
  ['map with a symbol key', on((d) => (d.schema_config.configs[0].index.tags = { a: 'b', [Symbol('s')]: 1 })), 'tags.Symbol(s)` must be a mapping'],
  ['free-form block as a string', on((d) => (d.internal_server = 'on')), '`internal_server` must be a mapping of settings'],
  ['block as a string', on((d) => (d.server = 'localhost')), '`server` must be a mapping of settings'],
  ['block as a list', on((d) => (d.common.storage = [d.common.storage])), '`common.storage` must be a mapping of settings'],
  ['block as null', on((d) => (d.compactor = null)), '`compactor` must be a mapping of settings'],
  ['list of blocks as a mapping', on((d) => (d.schema_config.configs = d.schema_config.configs[0])), '`schema_config.configs` must be a list'],
  ['null in a list of blocks', on((d) => d.schema_config.configs.push(null)), '`schema_config.configs[1]` must be a mapping of settings'],
  // eslint-disable-next-line no-sparse-arrays -- the hole is the input under test
  ['hole in a list of blocks', on((d) => (d.schema_config.configs = [, d.schema_config.configs[0]])), '`schema_config.configs[0]` must be a mapping'],
  ['document is null', () => null, '`<root>` must be a mapping of settings'],
  ['document is a list', (d) => [d], '`<root>` must be a mapping of settings'],
  ['document is a string', () => 'auth_enabled: false', '`<root>` must be a mapping of settings'],
  ['no schema period', on((d) => (d.schema_config.configs = [])), '`schema_config.configs` must hold at least one period'],
  ['retention without a delete store', on((d) => delete d.compactor.delete_request_store), '`compactor.delete_request_store` is required'],
  ['retention below a day', on((d) => (d.limits_config.retention_period = '1h')), "below Loki's minimum retention of 24h"],
  [
    'periods out of order',
    on((d) => d.schema_config.configs.push({ ...d.schema_config.configs[0], from: '2023-01-01' })),
    'must come after the previous period',
  ],
  ['unknown key and a rule across keys (both found)', on((d) => ((d.bogus = 1), (d.schema_config.configs = []))), /`bogus`[^]*must hold at least one period/],
  [
    'bad duration and a rule across keys (both found)',
    on((d) => ((d.limits_config.retention_period = '1x'), (d.schema_config.configs[0].schema = 'v99'))),
    /must be a duration[^]*'v99' is not a schema version/,
  ],
  [
    'int beyond 2^53 and a rule across keys (both found)',
    on((d) => ((d.server.http_listen_port = 2 ** 60), (d.limits_config.retention_period = '1h'))),
    /whole number[^]*minimum retention/,
  ],
  [
    'negative size and a rule across keys (both found)',
    on((d) => ((d.limits_config.max_line_size = -1), (d.schema_config.configs = []))),
    /must not be negative[^]*at least one period/,
  ],
  [
    'wrong type stops the rules across keys',
    on((d) => ((d.auth_enabled = 1), (d.schema_config.configs = []))),
    (text) => text.includes('`auth_enabled` must be true or false') && !text.includes('must hold at least one period'),
  ],
];

describe('checkLokiConfig walks the document as the zod schema parses it', () => {
  test('the default stack: no problem for any Loki version', () => {
    for (const version of VERSIONS) assert.deepEqual(assertSame(clone(), version, 'default stack'), []);
  });

  for (const [label, broken, expected] of MUTATIONS) {
    test(label, () => {
      const doc = broken(clone());
      for (const version of VERSIONS) {
        const problems = assertSame(doc, version, label);
        assert.notDeepEqual(problems, [], `${label}: no problem found`);
        const text = problems.join('\n');
        if (typeof expected === 'string') assert.ok(text.includes(expected), `${label}: expected "${expected}" in:\n${text}`);
        else if (expected instanceof RegExp) assert.match(text, expected);
        else assert.ok(expected(text), `${label}: unexpected problems:\n${text}`);
      }
    });
  }

  test('top-level keys of some minors only: known in theirs, unknown in the others', () => {
    const cases = [
      ['ui', {}, [v(5), v(7)], [v(4)]],
      ['bloom_compactor', {}, [v(1)], [v(2), v(7)]],
      ['tenant_limits_allow_publish', ['a'], [v(6), v(7)], [v(5)]],
      ['kafka_ingester', {}, [v(2)], [v(3), v(1)]],
    ] as const;
    for (const [key, value, known, unknown] of cases) {
      const doc = { ...clone(), [key]: value };
      for (const version of known) assert.deepEqual(assertSame(doc, version, `${key} known`), []);
      for (const version of unknown)
        assert.match(assertSame(doc, version, `${key} unknown`).join('\n'), new RegExp(`\`${key}\` is not a setting of Loki 3\\.${version.minor}`));
    }
    // A versioned key of the wrong kind, where it is known.
    const bad = { ...clone(), tenant_limits_allow_publish: 'a' };
    assert.match(assertSame(bad, v(6), 'versioned string[]').join('\n'), /`tenant_limits_allow_publish` must be a list of strings/);
  });

  test('valid documents: optional keys set to undefined or absent, objects of other classes', () => {
    const doc = clone();
    doc.server.http_listen_port = undefined;
    delete doc.analytics;
    // zod's strictObject takes any non-list object for a block (a mapping needs a plain one).
    doc.analytics = new Date(0);
    doc.schema_config.configs[0].index.tags = Object.create(null);
    for (const version of VERSIONS) assert.deepEqual(assertSame(doc, version, 'undefined and absent keys'), []);
  });

  test('random damage to the default document', () => {
    // A small seeded generator: the same documents every run.
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const values: unknown[] = [
      null,
      true,
      0,
      -3,
      1.5,
      2 ** 60,
      -(2 ** 60),
      '',
      '1h',
      '24h',
      '64MB',
      'v99',
      'x',
      [],
      ['a'],
      [{}],
      {},
      { a: 1 },
      { enabled: 'no' },
      new Date(0),
    ];
    const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)];
    let broken = 0;
    for (let n = 0; n < 300; n++) {
      const doc = clone();
      for (let k = rand(3) + 1; k > 0; k--) {
        // Down a random path of existing mappings and lists, then set or add a key.
        let at: any = doc;
        while (rand(3) > 0) {
          const keys = at && typeof at === 'object' ? Object.keys(at) : [];
          const next = keys.length ? at[pick(keys)] : undefined;
          if (!next || typeof next !== 'object') break;
          at = next;
        }
        if (!at || typeof at !== 'object') continue;
        const keys = Object.keys(at);
        const key = keys.length && rand(4) > 0 ? pick(keys) : pick(['period', 'store', 'enabled', 'zzz']);
        at[key] = structuredClone(pick(values));
      }
      const version = pick(VERSIONS);
      if (assertSame(doc, version, `random document ${n}`).length) broken++;
    }
    assert.ok(broken > 150, `only ${broken} of 300 random documents were broken`);
  });
});
