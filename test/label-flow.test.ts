import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as sdkDashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as sdkLogs from '@grafana/grafana-foundation-sdk/logs';
import * as sdkLoki from '@grafana/grafana-foundation-sdk/loki';
import { App } from '../src/core/app.js';
import { Stack } from '../src/core/stack.js';
import { Testing } from '../src/core/testing.js';
import { synthErrorOf } from './support/problems.js';
import { LoggingOnlyStack } from '../src/aixcl/logging-only-stack.js';
import { checkLogQL, Dashboard, Grafana } from '../src/grafana/index.js';
import { Loki } from '../src/loki/index.js';
import { Promtail, promtailProducedLabels } from '../src/promtail/index.js';

function build(projectName = 'shop', promtailProject?: string) {
  const stack = new Stack(new App(), 'shop', { projectName });
  const loki = new Loki(stack, 'loki');
  const promtail = new Promtail(stack, 'promtail', { loki, ...(promtailProject ? { project: promtailProject } : {}) });
  const grafana = new Grafana(stack, 'grafana');
  const ds = grafana.addLokiDatasource({ loki });
  return { stack, loki, promtail, grafana, ds };
}

/** A one-panel dashboard with a Loki query. */
function panel(grafana: Grafana, expr: string): Dashboard {
  const dash = new sdkDashboard.DashboardBuilder('Mine')
    .uid('mine')
    .withPanel(
      new sdkLogs.PanelBuilder().title('Lines').datasource({ type: 'loki', uid: 'loki' }).withTarget(new sdkLoki.DataqueryBuilder().refId('A').expr(expr)),
    );
  return new Dashboard(grafana, 'Mine', { dashboard: dash });
}

describe('the labels a collector produces', () => {
  it('are read from Promtail’s own config: its relabel rules set service_name to the compose service, its pipeline keeps level, caller and logger as structured metadata', () => {
    const { promtail, loki } = build();
    assert.deepEqual(promtail.producedLabels, {
      labels: ['compose_project', 'compose_service', 'container', 'image', 'service_name', 'stream'],
      structuredMetadata: ['caller', 'level', 'logger'],
    });
    assert.deepEqual(loki.streamLabels(), ['compose_project', 'compose_service', 'container', 'image', 'service_name', 'stream']);
  });

  it('follow overrides and pipeline stages (labels, static_labels, labeldrop, structured_metadata, match)', () => {
    const { promtail, loki } = build();
    promtail.config.addOverride('scrape_configs.0.pipeline_stages', [
      { logfmt: { mapping: { level: '', msg: '' } } },
      { labels: { level: '' } },
      { static_labels: { env: 'dev' } },
      { structured_metadata: { trace_id: '' } },
      { labeldrop: ['image'] },
      { match: { selector: '{compose_service="db"}', stages: [{ labels: { db_user: '' } }, { labeldrop: ['stream'] }] } },
    ]);
    assert.deepEqual(promtail.producedLabels, {
      labels: ['compose_project', 'compose_service', 'container', 'db_user', 'env', 'level', 'service_name', 'stream'],
      structuredMetadata: ['trace_id'],
    });
    assert.ok(loki.streamLabels()?.includes('level'));
  });

  it('are unknown after a labelmap rule (its names come from a regex), and relabel removals apply', () => {
    assert.equal(
      promtailProducedLabels({ scrape_configs: [{ relabel_configs: [{ action: 'labelmap', regex: '__meta_docker_container_label_(.+)' }] }] }).labels,
      undefined,
    );
    const doc = {
      scrape_configs: [
        {
          relabel_configs: [
            { source_labels: ['a'], target_label: 'app' },
            { source_labels: ['b'], target_label: '__tmp' },
            { source_labels: ['c'], target_label: 'app_version' },
            { action: 'labeldrop', regex: 'app_.*' },
          ],
        },
      ],
      clients: [{ url: 'http://x/loki/api/v1/push', external_labels: { host: 'h' } }],
    };
    assert.deepEqual(promtailProducedLabels(doc).labels, ['app', 'host']);
  });
});

describe('queries select only on labels and projects the collectors produce', () => {
  it('rejects a stream selector on a label no collector sets, with did-you-mean', () => {
    const { stack, grafana } = build();
    panel(grafana, '{container_name="shop-api-1"} |= "error"');
    const msg = synthErrorOf(stack);
    assert.ok(
      msg.includes(
        "[shop/grafana/Mine] panel 'Lines', query A: invalid LogQL at line 1, column 2: no stream in shop/loki has the label 'container_name' (its collectors set compose_project, compose_service, container, image, service_name, stream); did you mean 'container'?",
      ),
      msg,
    );
  });

  it('accepts produced labels, service_name, label filters after a parser, and matchers a missing label satisfies', () => {
    const { stack, grafana } = build();
    panel(grafana, '{container="shop-grafana-1", service_name=~".+", env=""} | logfmt | duration > 10s');
    assert.doesNotThrow(() => Testing.synth(stack));
  });

  it('rejects a query naming a compose project its Loki does not collect', () => {
    const { stack, grafana } = build();
    panel(grafana, 'sum(count_over_time({compose_project="shpo"}[5m]))');
    assert.match(
      synthErrorOf(stack),
      /column 38: compose_project="shpo" selects nothing: shop\/loki only receives compose_project "shop"; did you mean "shop"\?/,
    );
  });

  it('accepts the collected project, also in a logging-only stack that collects another one', () => {
    const { stack, grafana } = build('watcher', 'shop');
    panel(grafana, '{compose_project="shop"}');
    assert.doesNotThrow(() => Testing.synth(stack));
    const other = build('watcher', 'shop');
    panel(other.grafana, '{compose_project="watcher"}');
    assert.match(synthErrorOf(other.stack), /compose_project="watcher" selects nothing: shop\/loki only receives compose_project "shop"/);
  });

  it('rejects a label-values variable of a label no stream has', () => {
    const { stack, grafana } = build();
    const dash = new sdkDashboard.DashboardBuilder('Vars')
      .uid('vars')
      .withVariable(
        new sdkDashboard.QueryVariableBuilder('svc')
          .datasource({ type: 'loki', uid: 'loki' })
          .query({ type: 1, label: 'service', stream: '{compose_project="shop"}' }),
      );
    new Dashboard(grafana, 'Vars', { dashboard: dash });
    assert.match(synthErrorOf(stack), /\[shop\/grafana\/Vars\] variable '\$svc' lists the values of label 'service', which no stream in shop\/loki has/);
  });

  it('checkLogQL takes the labels as options', () => {
    assert.ok(checkLogQL('{app="x"}', { streamLabels: ['job'] })?.includes("no stream in its Loki has the label 'app'"));
    assert.equal(checkLogQL('{app="x"}', { streamLabels: ['app'] }), undefined);
    assert.equal(checkLogQL('{compose_project="$project"}', { variables: ['project'], labelValues: { compose_project: ['shop'] } }), undefined);
  });
});

describe('queries select only label values the stack produces', () => {
  const problemOf = (expr: string) => {
    const { stack, grafana } = build();
    panel(grafana, expr);
    return synthErrorOf(stack);
  };
  const accepted = (expr: string) => {
    const { stack, grafana } = build();
    panel(grafana, expr);
    assert.doesNotThrow(() => Testing.synth(stack), expr);
  };

  it('rejects a service no stack service has, with did-you-mean, under compose_service and service_name', () => {
    assert.match(
      problemOf('{compose_service="grafanna"}'),
      /compose_service="grafanna" selects nothing: shop\/loki only receives compose_service "grafana", "loki", "promtail"; did you mean "grafana"\?/,
    );
    assert.match(problemOf('{service_name="lokki"}'), /service_name="lokki" selects nothing: .*; did you mean "loki"\?/);
  });

  it('runs =~ and !~ as anchored RE2 over the values', () => {
    assert.match(
      problemOf('{compose_service=~"graf"}'),
      /compose_service=~"graf" selects nothing: shop\/loki only receives compose_service "grafana", "loki", "promtail"$/m,
    );
    assert.match(problemOf('{compose_project="shop", compose_service!~"grafana|loki|promtail"}'), /compose_service!~"grafana\|loki\|promtail" selects nothing/);
    accepted('{compose_service=~"graf.*"}');
    accepted('{compose_project="shop", compose_service!~"grafana|loki"}');
  });

  it('knows Docker streams, the normalized levels, images and container names', () => {
    assert.match(
      problemOf('{compose_project="shop", stream="sdterr"}'),
      /stream="sdterr" selects nothing: shop\/loki only receives stream "stdout", "stderr"; did you mean "stderr"\?/,
    );
    assert.match(
      problemOf('{compose_project="shop"} | level="eror"'),
      /level="eror" keeps no line: shop\/loki only receives level "error", "warn", "info", "debug"; did you mean "error"\?/,
    );
    assert.match(problemOf('{image="grafana/lokii:3.7.6"}'), /image="grafana\/lokii:3.7.6" selects nothing: .*did you mean "grafana\/loki:3.7.6"\?/);
    assert.match(problemOf('{container="shop-api-1"}'), /container="shop-api-1" selects nothing: shop\/loki only receives container such as "shop-grafana-1"/);
    accepted('{container="shop-loki-2"}');
    accepted('{container="shop-loki-run-0a1b2c"}');
    accepted('{compose_project="shop"} | level=~"error|warn"');
  });

  it('checks a dashboard given as JSON the same way', () => {
    const { stack, grafana } = build();
    const json = {
      uid: 'json',
      title: 'From JSON',
      panels: [{ type: 'logs', title: 'Lines', datasource: { type: 'loki', uid: 'loki' }, targets: [{ refId: 'A', expr: '{compose_service="promtial"}' }] }],
    };
    new Dashboard(grafana, 'Json', { dashboard: json as any });
    assert.match(
      synthErrorOf(stack),
      /\[shop\/grafana\/Json\] panel 'Lines', query A: .*compose_service="promtial" selects nothing: .*did you mean "promtail"\?/,
    );
  });

  it('does not judge a value from a variable, a label a parser may set, nor a negative label filter', () => {
    assert.equal(checkLogQL('{compose_service="$svc"}', { variables: ['svc'], labelValues: { compose_service: ['api'] } }), undefined);
    assert.equal(checkLogQL('{compose_service="api"} | logfmt | level="eror"', { labelValues: { level: ['error'] } }), undefined);
    assert.equal(checkLogQL('{compose_service="api"} | level!="eror"', { labelValues: { level: ['error'] } }), undefined);
  });

  it('does not judge services of a project the stack does not hold (logging-only stack)', () => {
    const { stack, grafana } = build('watcher', 'shop');
    panel(grafana, '{compose_project="shop", compose_service="anything"}');
    assert.doesNotThrow(() => Testing.synth(stack));
  });
});

describe('a Grafana line limit above what Loki returns', () => {
  it('is rejected, with both fixes', () => {
    const stack = new Stack(new App(), 'shop');
    const loki = new Loki(stack, 'loki');
    new Promtail(stack, 'promtail', { loki });
    new Grafana(stack, 'grafana').addLokiDatasource({ loki, maxLines: 8000 });
    assert.match(
      synthErrorOf(stack),
      /\[shop\/grafana\/Datasource-loki\] maxLines 8000 is above shop\/loki's limits_config\.max_entries_limit_per_query \(5000\): Loki refuses such queries; lower maxLines to 5000 or raise the limit/,
    );
  });

  it('follows the limit Loki is given', () => {
    const stack = new Stack(new App(), 'shop');
    const loki = new Loki(stack, 'loki');
    new Promtail(stack, 'promtail', { loki });
    new Grafana(stack, 'grafana').addLokiDatasource({ loki, maxLines: 8000 });
    loki.config.addOverride('limits_config.max_entries_limit_per_query', 10000);
    assert.equal(loki.maxEntriesLimitPerQuery, 10000);
    assert.doesNotThrow(() => Testing.synth(stack));
  });
});

describe('a logging-only stack', () => {
  it('may not be the project it watches', () => {
    const stack = new LoggingOnlyStack(new App(), 'logs', { targetProject: 'shop', projectName: 'shop' });
    assert.match(
      synthErrorOf(stack),
      /\[logs\] its own project name is 'shop', the project it is asked to watch: give it another name \(the default is 'shop-logging'\)/,
    );
  });

  it('is valid under its default name', () => {
    assert.doesNotThrow(() => Testing.synth(new LoggingOnlyStack(new App(), 'logs', { targetProject: 'shop' })));
  });
});
