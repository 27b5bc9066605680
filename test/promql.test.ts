import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App } from '../src/core/app.js';
import { Stack } from '../src/core/stack.js';
import { Testing } from '../src/core/testing.js';
import { synthErrorOf } from './support/problems.js';
import { checkPromQL, Grafana } from '../src/grafana/index.js';
import { Loki } from '../src/loki/index.js';
import { Prometheus } from '../src/prometheus/index.js';
import { Promtail } from '../src/promtail/index.js';
import { Cadvisor, CADVISOR_METRIC_LABELS, CADVISOR_METRICS_VERSION } from '../src/services/index.js';

/** Asserts the expression is rejected with a message containing each fragment; returns the message. */
function invalid(expr: string, fragments: string[], options: Parameters<typeof checkPromQL>[1] = {}): string {
  const msg = checkPromQL(expr, options);
  assert.ok(msg, `expected ${JSON.stringify(expr)} to be rejected`);
  for (const f of fragments) assert.ok(msg.includes(f), `expected "${f}" in:\n${msg}`);
  return msg;
}

const valid = (expr: string, options: Parameters<typeof checkPromQL>[1] = {}) => assert.equal(checkPromQL(expr, options), undefined, expr);

/** A stack with cAdvisor scraped by Prometheus, Grafana with both datasources and the container dashboard. */
function stackWithCadvisor() {
  const stack = new Stack(new App(), 'shop');
  const loki = new Loki(stack, 'loki');
  new Promtail(stack, 'promtail', { loki });
  const prometheus = new Prometheus(stack, 'prometheus');
  new Cadvisor(stack, 'cadvisor');
  const grafana = new Grafana(stack, 'grafana');
  const prometheusDs = grafana.addPrometheusDatasource({ prometheus });
  const lokiDs = grafana.addLokiDatasource({ loki, metrics: prometheusDs });
  const containers = grafana.addContainerMetricsDashboard({ datasource: prometheusDs });
  return { stack, prometheus, grafana, prometheusDs, lokiDs, containers };
}

describe('checkPromQL: syntax, with Grafana’s macros and variables', () => {
  it('accepts what Prometheus accepts', () => {
    valid('sum by (job) (rate(http_requests_total{code=~"5.."}[$__rate_interval]))');
    valid('histogram_quantile(0.99, sum by (le) (rate(x_bucket[$__interval])))');
    valid('rate(x[5m])[1h:1m]');
    valid('up offset $__range');
    valid("up{job='a', instance!~`b.*`} / on(job) group_left count(up)");
    valid('max_over_time(x[${__auto}])');
    valid('label_replace(up, "dst", "$1", "src", "(.*)")');
    valid('up{job="$job"}', { variables: ['job'] });
  });

  it('shows a parse error’s position with a caret', () => {
    const msg = invalid('sum(rate(x{a="b"}[5m])', ['invalid PromQL at line 1, column 23: the query ends too early']);
    assert.ok(msg.endsWith('\n    sum(rate(x{a="b"}[5m])\n                          ^'), msg);
    invalid('rate(x{a="b"}[5m] offset', ['the query ends too early']);
    invalid('sum by job (x)', ["column 8: unexpected 'job'", 'grouping labels are written by (label, ...)']);
  });

  it('maps positions back across a substituted macro', () => {
    const msg = invalid('rate(x[$__rate_interval]) +', ['column 28']);
    assert.ok(msg.endsWith('\n    rate(x[$__rate_interval]) +\n                               ^'), msg);
  });

  it('rejects an undeclared variable and an unknown macro', () => {
    invalid('up{job="$jbo"}', ["the variable '$jbo', which the dashboard does not declare"], { variables: ['job'] });
    invalid('rate(x[$__rate])', ["'$__rate' is not a Grafana macro"]);
  });

  it('rejects a Go string escape Prometheus refuses', () => {
    invalid('up{job=~"a\\d"}', ["'\\d' is not an escape Prometheus accepts"]);
  });

  it('rejects a regex Go refuses, as compiled (^(?s:...)$)', () => {
    invalid('up{job=~"api(?!-test)"}', ['column 9: regex "api(?!-test)" does not compile in Go\'s RE2', 'no lookahead']);
    invalid('label_replace(up, "d", "$1", "s", "(a)\\\\1")', ['invalid escape sequence: `\\1`']);
  });

  it('rejects a selector with no non-empty matcher, as Prometheus does', () => {
    invalid('{job=~".*"}', ['a vector selector must contain at least one non-empty matcher']);
    valid('{job=~".+"}');
    valid('{__name__="up"}');
  });

  it('rejects a range function given an instant vector', () => {
    invalid('rate(x)', ['rate() needs a range vector as argument 1']);
    invalid('quantile_over_time(0.5, x)', ['quantile_over_time() needs a range vector as argument 2']);
    valid('quantile_over_time(0.5, x[5m])');
  });
});

describe('checkPromQL: label names against the series the tree knows', () => {
  const seriesLabels = (m: string) => (m === 'container_memory_working_set_bytes' ? ['id', 'name', 'image', 'job', 'instance'] : undefined);

  it('rejects a label the metric’s series do not carry, with did-you-mean', () => {
    invalid('container_memory_working_set_bytes{nmae="x"}', ["no series of container_memory_working_set_bytes has the label 'nmae'", "did you mean 'name'?"], {
      seriesLabels,
    });
    invalid('sum by (imgae) (container_memory_working_set_bytes)', ["label 'imgae'", "did you mean 'image'?"], { seriesLabels });
  });

  it('accepts known labels, matchers a missing label satisfies, and metrics it knows nothing about', () => {
    valid('sum by (name) (container_memory_working_set_bytes{job="cadvisor", nmae=""})', { seriesLabels });
    valid('container_memory_working_set_bytes{other!="x"}', { seriesLabels });
    valid('sum by (anything) (some_other_metric{anything="x"})', { seriesLabels });
    // label_replace and label_join add their destination label to the series they return (promql/functions.go).
    valid('sum by (svc) (label_replace(container_memory_working_set_bytes, "svc", "$1", "name", "p_(.+)"))', { seriesLabels });
    valid('sum by (svc) (label_join(container_memory_working_set_bytes, "svc", "-", "name", "image"))', { seriesLabels });
    invalid('sum by (svcc) (label_replace(container_memory_working_set_bytes, "svc", "$1", "name", "p_(.+)"))', ["label 'svcc'", "did you mean 'svc'?"], {
      seriesLabels,
    });
  });
});

describe('PromQL the stack writes is checked at synthesis', () => {
  it('knows cAdvisor’s labels from its generated metric table and the scrape config', () => {
    const { prometheus } = stackWithCadvisor();
    assert.equal(CADVISOR_METRICS_VERSION, 'v0.56.2');
    assert.deepEqual(CADVISOR_METRIC_LABELS.container_network_receive_bytes_total, ['interface']);
    assert.deepEqual([...(prometheus.seriesLabels('container_cpu_usage_seconds_total') ?? [])].sort(), [
      'container_label_com_docker_compose_project',
      'container_label_com_docker_compose_service',
      'cpu',
      'id',
      'image',
      'instance',
      'job',
      'name',
    ]);
    assert.equal(prometheus.seriesLabels('http_requests_total'), undefined);
  });

  it('has a well-formed generated cAdvisor table (scripts/generate-cadvisor-metrics.mjs)', () => {
    const names = Object.keys(CADVISOR_METRIC_LABELS);
    assert.ok(names.length >= 90, `only ${names.length} metrics`);
    for (const [metric, labels] of Object.entries(CADVISOR_METRIC_LABELS)) {
      assert.match(metric, /^container_[a-z0-9_]+$/);
      for (const l of labels) assert.match(l, /^[a-z_][a-z0-9_]*$/, `${metric}: ${l}`);
    }
    // The metrics the stack's own queries use are there.
    for (const m of [
      'container_cpu_usage_seconds_total',
      'container_memory_working_set_bytes',
      'container_network_transmit_bytes_total',
      'container_start_time_seconds',
    ]) {
      assert.ok(names.includes(m), m);
    }
  });

  it('accepts the container dashboard, the derived field and the correlation it writes', () => {
    assert.doesNotThrow(() => Testing.synth(stackWithCadvisor().stack));
  });

  it('rejects a dashboard query naming a label cAdvisor does not export (container_name)', () => {
    const { stack, containers } = stackWithCadvisor();
    containers.addOverride(
      'panels.0.targets.0.expr',
      'sum by (container_label_com_docker_compose_service) (rate(container_cpu_usage_seconds_total{container_name="shop-api-1"}[$__rate_interval]))',
    );
    const msg = synthErrorOf(stack);
    assert.ok(
      msg.includes(
        "[shop/grafana/ContainerMetricsDashboard] panel 'CPU by service (cores)', query A: invalid PromQL at line 1, column 93: no series of container_cpu_usage_seconds_total has the label 'container_name'",
      ),
      msg,
    );
  });

  it('rejects a dashboard query that does not parse, with the caret', () => {
    const { stack, containers } = stackWithCadvisor();
    containers.addOverride('panels.1.targets.0.expr', 'sum by (x) (container_memory_working_set_bytes{name="a"}');
    assert.match(synthErrorOf(stack), /panel 'Memory by service \(working set\)', query A: invalid PromQL at line 1, column 57: the query ends too early/);
  });

  it('rejects a derived field whose Prometheus query is not PromQL', () => {
    const { stack, lokiDs, prometheusDs } = stackWithCadvisor();
    lokiDs.addDerivedField({
      name: 'mem',
      matcherType: 'label',
      matcherRegex: '^container$',
      datasource: prometheusDs,
      url: 'container_memory_working_set_bytes{name="${__value.raw}"',
    });
    assert.match(synthErrorOf(stack), /\[shop\/grafana\/Datasource-loki\] derived field 'mem': invalid PromQL at line 1, column 57: the query ends too early/);
  });

  it('rejects a derived field query with an unknown data-link variable', () => {
    const { stack, lokiDs, prometheusDs } = stackWithCadvisor();
    lokiDs.addDerivedField({
      name: 'mem',
      matcherType: 'label',
      matcherRegex: '^container$',
      datasource: prometheusDs,
      url: 'container_memory_working_set_bytes{name="${__value.row}"}',
    });
    assert.match(synthErrorOf(stack), /derived field 'mem': invalid PromQL .*'\$__value\.row' is not a Grafana macro/);
  });
});
