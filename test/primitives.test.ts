// The primitives of src/core/ that every check of the library reads values with: one implementation of
// each rule (did-you-mean, sizes, durations, ports, names, cycles), tested here against the upstream
// rule each one cites, at its edges.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { closest, didYouMean, distance, typoLimit } from '../src/core/did-you-mean.js';

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
