import { producedLabelsOf, type ProducedLabels } from '../collector/produced-labels.js';

type Obj = Record<string, unknown>;
const isObject = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);

/**
 * The labels a Promtail configuration document produces, over all its scrape configs: each scrape
 * config's `relabel_configs` and `pipeline_stages`, and the clients' `external_labels`, which are
 * added to every stream (clients/pkg/promtail/client/config.go).
 */
export function promtailProducedLabels(doc: unknown): ProducedLabels {
  const d = isObject(doc) ? doc : {};
  const external: string[] = [];
  for (const client of [...list(d.clients), ...(isObject(d.client) ? [d.client] : [])]) {
    if (isObject(client) && isObject(client.external_labels)) external.push(...Object.keys(client.external_labels));
  }
  const jobs = list(d.scrape_configs)
    .filter(isObject)
    .map((sc) => ({ relabel: list(sc.relabel_configs), stages: list(sc.pipeline_stages) }));
  return producedLabelsOf({ external, jobs });
}
