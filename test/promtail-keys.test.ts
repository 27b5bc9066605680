import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { schemaKeysAt } from './support/zod-shape.js';
import { PROMTAIL_LAST_VERSION } from '../src/promtail/promtail.js';
import { PROMTAIL_CONFIG_KEYS, PROMTAIL_KEYS_VERSION, PromtailConfigSchema } from '../src/promtail/index.js';

/*
 * src/promtail/promtail-config-keys.ts is generated (scripts/generate-promtail-keys.mjs) from the yaml tags of the
 * structs Promtail decodes its file into. The strict zod schemas are written by hand, with the value rules; this
 * test holds them to the generated key lists, block by block, so neither a key Promtail reads can be refused nor
 * a key it refuses be accepted.
 */

describe('the Promtail schemas against the keys Promtail reads (generated from its source)', () => {
  it('is the table of the Promtail line the construct uses', () => {
    assert.equal(PROMTAIL_KEYS_VERSION, PROMTAIL_LAST_VERSION);
  });

  for (const [block, keys] of Object.entries(PROMTAIL_CONFIG_KEYS)) {
    // docker_sd_configs lives in a scrape config.
    const path = block === 'docker_sd_configs' ? 'scrape_configs.docker_sd_configs' : block;
    it(`accepts exactly the keys of '${block}'`, () => {
      assert.deepEqual(schemaKeysAt(PromtailConfigSchema, path), [...keys].sort());
    });
  }
});
