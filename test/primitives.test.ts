// The primitives of src/core/ that every check of the library reads values with: one implementation of
// each rule (did-you-mean, sizes, durations, ports, names, cycles), tested here against the upstream
// rule each one cites, at its edges.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { closest, didYouMean, distance, typoLimit } from '../src/core/did-you-mean.js';
import { Duration } from '../src/core/duration.js';
import {
  isGoOrModelDuration,
  goOrModelDurationMs,
  MODEL_DURATION_PATTERN,
  parseGoDuration,
  parseModelDuration,
  readGoDuration,
} from '../src/core/go-duration.js';
import { findCycles } from '../src/core/dependency-cycle.js';
import { LABEL_NAME_PATTERN, METRIC_NAME_PATTERN, PROJECT_NAME_PATTERN, RESOURCE_NAME_PATTERN, SERVICE_NAME_PATTERN } from '../src/core/name-patterns.js';
import { isPortNumber, normaliseIp, publishedPorts } from '../src/core/port.js';
import { LOKI_SIZE_PATTERN, parseRamInBytes } from '../src/core/size.js';
import { durationCallFor } from '../src/core/value-schemas.js';

describe('did-you-mean (core/did-you-mean.ts): one measure and one limit for every "unknown name" message', () => {
  test('a swap of two neighbouring letters is one edit (optimal string alignment), other edits one each', () => {
    assert.equal(distance('statsu', 'status'), 1);
    assert.equal(distance('retension', 'retention'), 1);
    assert.equal(distance('ab', 'ba'), 1);
    assert.equal(distance('', 'abc'), 3);
    assert.equal(distance('kitten', 'sitting'), 3);
    // OSA, not full Damerau: 'ca' -> 'abc' is 3, not 2.
    assert.equal(distance('ca', 'abc'), 3);
  });
  test('the limit is a third of the name, at least 1, and always fewer edits than the name has letters', () => {
    assert.deepEqual(['a', 'ab', 'abc', 'abcdef', 'abcdefghi'].map(typoLimit), [0, 1, 1, 2, 3]);
    assert.equal(closest('x', ['y']), undefined);
    assert.equal(closest('ini', ['init', 'help']), 'init');
    assert.equal(closest('innit', ['init', 'help']), 'init');
    assert.equal(closest('comand', ['command', 'entrypoint']), 'command');
    assert.equal(closest('replicas', ['command', 'entrypoint']), undefined);
  });
  test('case is ignored, the name itself is never suggested, the nearest wins and the first of equals', () => {
    assert.equal(closest('MemoryLimit', ['memoryLimit']), 'memoryLimit');
    assert.equal(closest('port', ['port']), undefined);
    assert.equal(closest('porrt', ['ports', 'port']), 'port');
    assert.equal(closest('abcd', ['abcx', 'abxd']), 'abcx');
  });
  test('a name with one _word added or dropped is close, however long the word', () => {
    assert.equal(closest('container', ['container_name', 'image']), 'container_name');
    assert.equal(closest('level', ['detected_level']), 'detected_level');
    assert.equal(closest('level', ['levels_detected']), undefined);
  });
  test('didYouMean writes the hint, quoted as asked', () => {
    assert.equal(didYouMean('lables', ['labels']), "; did you mean 'labels'?");
    assert.equal(didYouMean('lables', ['labels'], '`'), '; did you mean `labels`?');
    assert.equal(didYouMean('zzz', ['labels']), undefined);
  });
});

describe('sizes (core/size.ts): Compose reads them with docker/go-units RAMInBytes, Loki with its own', () => {
  const KiB = 1024;
  const MiB = 1024 ** 2;
  test("go-units' own cases (size_test.go TestRAMInBytes): units k to p, 1024-based, any case, b or ib optional", () => {
    const ok: Array<[string, number]> = [
      ['32', 32],
      ['32b', 32],
      ['32B', 32],
      ['32k', 32 * KiB],
      ['32Kb', 32 * KiB],
      ['32Kib', 32 * KiB],
      ['32KIB', 32 * KiB],
      ['32Mb', 32 * MiB],
      ['32Gb', 32 * 1024 ** 3],
      ['32Tb', 32 * 1024 ** 4],
      ['32P', 32 * 1024 ** 5],
      ['32.3', 32],
      ['32.3 mb', Math.trunc(32.3 * MiB)],
      ['0.3MB', Math.trunc(0.3 * MiB)],
      // strconv.ParseFloat reads the number: an exponent, a leading '.', a sign.
      ['1e3', 1000],
      ['.5g', 512 * MiB],
      ['+5m', 5 * MiB],
      // One trailing space is the separator, with nothing after it.
      ['5 ', 5],
      ['1MiB', MiB],
    ];
    for (const [text, bytes] of ok) assert.equal(parseRamInBytes(text), bytes, text);
  });
  test('what go-units refuses, with its reason', () => {
    const bad: Array<[string, string]> = [
      ['', "invalid size: ''"],
      ['hello', "invalid size: 'hello'"],
      ['-32', "invalid size: '-32'"],
      [' 32 ', 'strconv.ParseFloat: parsing " 32": invalid syntax'],
      ['32m b', 'strconv.ParseFloat: parsing "32m": invalid syntax'],
      ['32bm', "invalid suffix: 'bm'"],
      // No exbibytes in RAMInBytes (binaryMap stops at p), unlike Loki's readers.
      ['1e', "invalid suffix: 'e'"],
      ['1mbb', "invalid suffix: 'mbb'"],
      ['1kibb', "invalid suffix: 'kibb'"],
      ['1.2.3m', 'strconv.ParseFloat: parsing "1.2.3": invalid syntax'],
      ['1_000', 'strconv.ParseFloat: parsing "1_000": invalid syntax'],
    ];
    for (const [text, why] of bad) assert.equal(parseRamInBytes(text), why, text);
  });
  test("Loki's pattern takes what its readers take that Compose's does not (1e, several spaces) and refuses words", () => {
    for (const ok of ['64MB', '256 KiB', '1024', '1e', '2  GB']) assert.match(ok, LOKI_SIZE_PATTERN);
    for (const bad of ['lots', '-1MB', '64 MB s', '']) assert.doesNotMatch(bad, LOKI_SIZE_PATTERN);
  });
});

describe("durations (core/go-duration.ts): Go's time.ParseDuration and Prometheus's model.ParseDuration", () => {
  const S = 1_000_000_000n;
  test("Go's rule (its own cases are in compose.test.ts): beyond int64 is 'invalid duration', told apart as beyondRange", () => {
    assert.equal(parseGoDuration('2562047h47m16.854775807s'), (1n << 63n) - 1n);
    assert.equal(parseGoDuration('2562047h47m16.854775808s'), 'invalid duration');
    assert.deepEqual(readGoDuration('2562048h'), { ns: 2562048n * 3600n * S, beyondRange: true });
    assert.equal(parseGoDuration('-2562047h47m16.854775808s'), -(1n << 63n));
    assert.equal(parseGoDuration('1d'), 'unknown unit "d" in duration');
    assert.equal(parseGoDuration('1μs'), 1000n);
    // After an overflow Go has stopped reading: its reason is the overflow, not what follows.
    assert.deepEqual(readGoDuration('9999999999h1x'), { error: 'invalid duration' });
  });
  test("Prometheus's rule (model/time.go): whole numbers, units y to ms once each from the largest, no sign", () => {
    const ok: Array<[string, bigint]> = [
      ['0', 0n],
      ['1y', 365n * 86_400n * S],
      ['2w', 14n * 86_400n * S],
      ['1d12h', 36n * 3_600n * S],
      ['1h30m', 5_400n * S],
      ['500ms', 500_000_000n],
      ['0s', 0n],
      ['292y', 292n * 365n * 86_400n * S],
    ];
    for (const [text, ns] of ok) assert.equal(parseModelDuration(text), ns, text);
    const bad: Array<[string, string]> = [
      ['', 'empty duration string'],
      ['1.5h', 'unknown unit "." in duration "1.5h"'],
      ['30m1h', 'not a valid duration string: "30m1h"'],
      ['1h1h', 'not a valid duration string: "1h1h"'],
      ['-1h', 'not a valid duration string: "-1h"'],
      ['h', 'not a valid duration string: "h"'],
      ['10', 'not a valid duration string: "10"'],
      ['1us', 'unknown unit "us" in duration "1us"'],
      ['293y', 'duration out of range'],
    ];
    for (const [text, why] of bad) assert.equal(parseModelDuration(text), why, text);
  });
  test('the schema pattern of model.ParseDuration takes what the parser takes, but for the range', () => {
    for (const text of ['0', '1y', '2w', '1d12h', '1h30m', '500ms', '0s', '293y', '', '1.5h', '30m1h', '1h1h', '-1h', 'h', '10', '1us', '1m1ms', '1s1m']) {
      assert.equal(MODEL_DURATION_PATTERN.test(text), typeof parseModelDuration(text) === 'bigint' || text === '293y', text);
    }
  });
  test('Loki reads either, unsigned; not what neither reads (1.5d, 1h1d)', () => {
    for (const ok of ['1.5h', '7d', '1w', '0', '500ms', '1d12h']) assert.ok(isGoOrModelDuration(ok), ok);
    for (const bad of ['1.5d', '1h1d', '-1h', '+1h', '', 'soon']) assert.ok(!isGoOrModelDuration(bad), bad);
    assert.equal(goOrModelDurationMs('1.5h'), 5_400_000);
    assert.equal(goOrModelDurationMs('1w'), 604_800_000);
    assert.equal(goOrModelDurationMs('1.5d'), undefined);
  });
  test('Duration.parse takes Go and Prometheus forms, unsigned, and says when one is beyond Go', () => {
    assert.equal(Duration.parse('1.5h').toSeconds(), 5400);
    assert.equal(Duration.parse('2w').toHours(), 336);
    assert.equal(Duration.parse('250us').milliseconds, 0.25);
    for (const bad of ['1.5d', '-5s', '', '7 d']) assert.throws(() => Duration.parse(bad), /is not a duration; write it like 30s/, bad);
    assert.throws(() => Duration.parse('300y'), /Duration\.parse\('300y'\) is longer than the longest duration Go programs read/);
  });
  test('the hint for a duration given as text reads it the same way, and names the call in the largest whole unit', () => {
    const calls = ['7d', '1s', '90s', '24h', '1.5h', '250ms', '250us', '1d12h', '7 d', 'soon', '-1s'].map(durationCallFor);
    assert.deepEqual(calls, [
      'Duration.days(7)',
      'Duration.seconds(1)',
      'Duration.seconds(90)',
      'Duration.days(1)',
      'Duration.minutes(90)',
      'Duration.millis(250)',
      'Duration.millis(0.25)',
      'Duration.hours(36)',
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('ports (core/port.ts): 16-bit numbers, and the host ports a ports entry publishes', () => {
  test('a port a container listens on or the host publishes is a whole number from 1 to 65535', () => {
    for (const ok of [1, 80, 65535]) assert.ok(isPortNumber(ok), String(ok));
    for (const bad of [0, -1, 65536, 80.5, NaN, '80', undefined]) assert.ok(!isPortNumber(bad), String(bad));
  });
  test('the short syntax [IP:][HOST:]CONTAINER[/PROTO] (nat.ParsePortSpec) and the long one', () => {
    assert.deepEqual(publishedPorts('8080:80'), [{ ip: '*', port: 8080, proto: 'tcp' }]);
    assert.deepEqual(publishedPorts('127.0.0.1:53:53/udp'), [{ ip: '127.0.0.1', port: 53, proto: 'udp' }]);
    assert.deepEqual(publishedPorts('[::1]:9000:9000'), [{ ip: '::1', port: 9000, proto: 'tcp' }]);
    assert.deepEqual(
      publishedPorts('9000-9001:9000-9001').map((p) => p.port),
      [9000, 9001],
    );
    assert.deepEqual(publishedPorts({ target: 80, published: '8080', host_ip: '0:0:0:0:0:0:0:1' }), [{ ip: '::1', port: 8080, proto: 'tcp' }]);
    // No host port (Docker picks one), a value Compose interpolates, a range past the last port.
    assert.deepEqual(publishedPorts('80'), []);
    assert.deepEqual(publishedPorts({ target: 80 }), []);
    assert.deepEqual(publishedPorts('${PORT}:80'), []);
    assert.deepEqual(
      publishedPorts('65535-65537:80').map((p) => p.port),
      [65535],
    );
    assert.equal(normaliseIp('[0:0:0:0:0:0:0:1]'), '::1');
  });
});

describe('names (core/name-patterns.ts): one pattern per rule', () => {
  test("Compose's service names (compose-spec patternProperties), Docker's volume and network names, Compose's project names", () => {
    for (const ok of ['web', 'web.1', '_x', '-x', 'A']) assert.match(ok, SERVICE_NAME_PATTERN);
    for (const bad of ['', 'a b', 'a/b', 'é']) assert.doesNotMatch(bad, SERVICE_NAME_PATTERN);
    for (const ok of ['data', 'a', 'x_1.y-z']) assert.match(ok, RESOURCE_NAME_PATTERN);
    for (const bad of ['', '_data', '.x', 'a b']) assert.doesNotMatch(bad, RESOURCE_NAME_PATTERN);
    for (const ok of ['shop', '1shop', 'my_shop-2']) assert.match(ok, PROJECT_NAME_PATTERN);
    for (const bad of ['Shop', '-shop', '_shop', 'my.shop', '']) assert.doesNotMatch(bad, PROJECT_NAME_PATTERN);
  });
  test('Prometheus label and metric names (prometheus/common model)', () => {
    for (const ok of ['job', '_x', '__name__', 'a1']) assert.match(ok, LABEL_NAME_PATTERN);
    for (const bad of ['1a', 'a-b', 'a:b', '']) assert.doesNotMatch(bad, LABEL_NAME_PATTERN);
    assert.match('job:errors:rate5m', METRIC_NAME_PATTERN);
    assert.doesNotMatch('5m_rate', METRIC_NAME_PATTERN);
  });
});

describe('dependency cycles (core/dependency-cycle.ts)', () => {
  const graph = (edges: Record<string, string[]>) => findCycles(Object.keys(edges), (n) => edges[n] ?? []);
  test('none in a chain or a diamond', () => {
    assert.deepEqual(graph({ a: ['b'], b: ['c'], c: [] }), []);
    assert.deepEqual(graph({ a: ['b', 'c'], b: ['d'], c: ['d'], d: [] }), []);
  });
  test('a self-dependency, a loop, each along its path back to where it started', () => {
    assert.deepEqual(graph({ a: ['a'] }), [['a', 'a']]);
    assert.deepEqual(graph({ a: ['b'], b: ['c'], c: ['a'] }), [['a', 'b', 'c', 'a']]);
  });
  test('two separate cycles are two mistakes; two sharing a node are one tangle, reported once', () => {
    assert.deepEqual(graph({ a: ['b'], b: ['a'], c: ['d'], d: ['c'] }), [
      ['a', 'b', 'a'],
      ['c', 'd', 'c'],
    ]);
    assert.deepEqual(graph({ a: ['b', 'c'], b: ['a'], c: ['a'] }), [['a', 'b', 'a']]);
  });
});
