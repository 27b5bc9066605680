import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { schemaKeysAt } from './support/zod-shape.js';
import { httpClientFields } from '../src/prometheus/prometheus-common-schema.js';
import { App } from '../src/core/app.js';
import { Stack } from '../src/core/stack.js';
import { Prometheus, PROMETHEUS_CONFIG_KEYS, PROMETHEUS_HTTP_CLIENT_BLOCKS, PROMETHEUS_KEYS_VERSION, PrometheusConfigSchema } from '../src/prometheus/index.js';
import { PROMTAIL_CONFIG_KEYS } from '../src/promtail/index.js';

/*
 * src/prometheus/prometheus-config-keys.ts is generated (scripts/generate-prometheus-keys.mjs) from the structs
 * Prometheus decodes prometheus.yml into. The strict zod schema is written by hand, with the value rules; this
 * test holds it to the generated key lists, block by block.
 */

/**
 * Keys Prometheus's decoder reads that the schema refuses on purpose, with why.
 * storage.tsdb.outofordertimewindow: an untagged int64 that yaml reads under its lower-cased name, but that
 * TSDBConfig's UnmarshalYAML overwrites from out_of_order_time_window: writing it does nothing.
 */
const REFUSED_ON_PURPOSE: Readonly<Record<string, readonly string[]>> = { 'storage.tsdb': ['outofordertimewindow'] };

const HTTP_CLIENT_KEYS = Object.keys(httpClientFields);

describe('the prometheus.yml schema against the keys Prometheus reads (generated from its source)', () => {
  it('is the table of the Prometheus the construct uses', () => {
    const prometheus = new Prometheus(new Stack(new App(), 'demo'), 'prometheus');
    assert.equal(prometheus.service.image.ref, `prom/prometheus:v${PROMETHEUS_KEYS_VERSION}`);
  });

  it("the HTTP client settings are prometheus/common's (the same struct Promtail's table reads)", () => {
    // Promtail's client block inlines the same HTTPClientConfig: its keys minus Promtail's own.
    const promtailOwn = [
      'backoff_config',
      'batchsize',
      'batchwait',
      'drop_rate_limited_batches',
      'external_labels',
      'headers',
      'name',
      'tenant_id',
      'timeout',
      'url',
    ];
    assert.deepEqual(
      [...HTTP_CLIENT_KEYS].sort(),
      PROMTAIL_CONFIG_KEYS.clients.filter((k) => !promtailOwn.includes(k)),
    );
  });

  for (const [block, keys] of Object.entries(PROMETHEUS_CONFIG_KEYS)) {
    it(`accepts exactly the keys of '${block}'`, () => {
      const expected = [...keys, ...(PROMETHEUS_HTTP_CLIENT_BLOCKS.includes(block) ? HTTP_CLIENT_KEYS : [])].filter(
        (k) => !(REFUSED_ON_PURPOSE[block] ?? []).includes(k),
      );
      assert.deepEqual(schemaKeysAt(PrometheusConfigSchema, block), [...new Set(expected)].sort());
    });
  }
});
