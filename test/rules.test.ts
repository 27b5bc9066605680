import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import {
  AixclStack,
  Alertmanager,
  analyzeLogQL,
  checkLokiConfig,
  checkRuleExpression,
  checkRuleFile,
  Duration,
  Logging,
  LogMetric,
  Prometheus,
  PrometheusRuleGroup,
  RuleGroup,
  Service,
  Stack,
  Testing,
  ValidationError,
  type LokiRulerProps,
} from '../src/index.js';
import { LogLevel } from '../src/log-format/log-level.js';
import { GoRegexAnchoring, goRegexTest } from '../src/core/re2.js';

type Doc = Record<string, any>;

function stack(ruler?: (s: Stack) => LokiRulerProps): { stack: Stack; logging: Logging; api: Service } {
  const s = new Stack(Testing.app(), 'shop');
  const api = new Service(s, 'api', { image: 'ghcr.io/acme/api:1.0.0' });
  const logging = new Logging(s, 'logging', { loki: { ruler: ruler?.(s) } });
  return { stack: s, logging, api };
}

function withAlertmanager(s: Stack): LokiRulerProps {
  return { alertmanager: new Alertmanager(s, 'alertmanager'), remoteWrite: new Prometheus(s, 'prometheus') };
}

function problems(s: Stack): string {
  try {
    Testing.synth(s);
  } catch (e) {
    assert.ok(e instanceof ValidationError, `expected a ValidationError, got ${String(e)}`);
    return e.message;
  }
  assert.fail('synthesis succeeded');
}

/**
 * What Loki writes for every query it runs (pkg/logql/metrics.go logs `query=<the LogQL>` with
 * logfmt quoting), on its own stream: the line a rule over Loki's logs must not count.
 */
function lokiQueryLogLine(expr: string): string {
  return `level=info ts=2026-11-29T08:00:00Z caller=metrics.go:237 component=ruler org_id=fake latency=fast query=${JSON.stringify(expr)} query_type=metric range_type=instant length=0s step=0s duration=1.2ms status=200`;
}

/**
 * Would `expr`, evaluated by Loki, count the line above on Loki's own stream because of its text,
 * i.e. the stream is selected and the line passes filters that select on text?
 */
function countsItsOwnQueryLog(expr: string, lokiStream: Record<string, string>): boolean {
  const { analysis } = analyzeLogQL(expr);
  assert.ok(analysis, expr);
  const line = lokiQueryLogLine(expr);
  const selected = analysis.selectors.some((sel) =>
    sel.every((m) => {
      const v = lokiStream[m.label] ?? '';
      // Label matchers are anchored (Prometheus's labels.NewFastRegexMatcher), compiled by RE2 as Loki does.
      const re = (x: string) => goRegexTest(x, v, GoRegexAnchoring.FULL) === true;
      return m.op === '=' ? v === m.value : m.op === '!=' ? v !== m.value : m.op === '=~' ? re(m.value) : !re(m.value);
    }),
  );
  if (!selected || !analysis.lineFilters.some((f) => f.op === '|=' || f.op === '|~')) return false;
  return analysis.lineFilters.every((f) => {
    // Line filters are unanchored searches (pkg/logql/log/filter.go), compiled by RE2.
    const re = () => ({ test: (text: string) => goRegexTest(f.value, text, GoRegexAnchoring.NONE) === true });
    switch (f.op) {
      case '|=':
        return line.includes(f.value);
      case '!=':
        return !line.includes(f.value);
      case '|~':
        return re().test(line);
      case '!~':
        return !re().test(line);
      default:
        return true;
    }
  });
}

describe('LogMetric', () => {
  it('builds a metric query over one service from typed parts', () => {
    const { api } = stack();
    const m = LogMetric.count({ service: api, levels: [LogLevel.ERROR, LogLevel.WARN], window: Duration.minutes(10) });
    assert.equal(
      m.expr,
      'sum by (compose_project, compose_service) (count_over_time({compose_project="shop", compose_service="api"} | level=~"error|warn" [10m]))',
    );
    assert.equal(analyzeLogQL(m.expr).analysis?.isMetric, true);
    const r = LogMetric.rate({ service: api, pattern: 'timeout "x"' });
    assert.match(r.expr, /\|~ "timeout \\"x\\"" \[5m\]\)\)$/);
  });

  it('selects a whole project, per service, and needs exactly one of service or project', () => {
    const { stack: s, api, logging } = stack();
    assert.equal(LogMetric.rate({ project: s, perLevel: true }).expr, 'sum by (compose_project, compose_service, level) (rate({compose_project="shop"} [5m]))');
    // Wrong parts are recorded on the metric, and reported with the path of the rule that uses it.
    assert.match(LogMetric.count({}).problems.join('\n'), /either 'service' \(e\.g\. postgres\) or 'project'/);
    assert.match(LogMetric.count({ service: api, project: 'shop' }).problems.join('\n'), /either 'service'/);
    assert.match(LogMetric.count({ service: 'api' as unknown as Service }).problems.join('\n'), /service must be a Service .*not its name/);
    const g = new RuleGroup(s, 'g', { loki: logging.loki });
    g.addAlert('A', { metric: LogMetric.count({ service: 'api' as unknown as Service }) });
    assert.match(problems(s), /\[shop\/g\/A\] service must be a Service/);
  });
});

describe('rule expressions', () => {
  const ctx = {
    queryLoggers: [
      { project: 'aixcl', serviceName: 'loki' },
      { project: 'aixcl', serviceName: 'grafana' },
    ],
  };

  it('must be metric queries over labels the collector sets', () => {
    assert.match(checkRuleExpression('{compose_project="aixcl", compose_service="api"}', ctx).problems.join(), /is a log query/);
    assert.match(checkRuleExpression('count_over_time({job="varlogs"}[5m])', ctx).problems.join(), /'job', which the collector never sets/);
    assert.match(checkRuleExpression('sum by (host) (count_over_time({compose_project="aixcl"}[5m]))', ctx).problems.join(), /groups by 'host'/);
    assert.match(checkRuleExpression('count_over_time({compose_project="aixcl"[5m])', ctx).problems.join(), /invalid LogQL/);
    assert.deepEqual(checkRuleExpression('sum by (compose_service, level) (rate({compose_project="aixcl"}[5m]))', ctx).problems, []);
  });

  it("refuse AIXCL's old rule, which counted its own query in Loki's log", () => {
    // The shape of AIXCL's log alert: every stream of the project, filtered on a literal.
    const old = 'sum(count_over_time({compose_project="aixcl"} |~ "(?i)error" [5m])) > 0';
    // The rule really matches the line Loki writes when it evaluates the rule ...
    assert.equal(countsItsOwnQueryLog(old, { compose_project: 'aixcl', compose_service: 'loki' }), true);
    // ... and the check refuses it for that reason.
    const p = checkRuleExpression(old, ctx).problems.join('\n');
    assert.match(p, /'loki' of project 'aixcl'.*match its own evaluation/);
    // Also with a regex selector that takes in Loki, and a pattern filter.
    assert.match(checkRuleExpression('count_over_time({compose_service=~"lok.*|api"} |= "error" [5m])', ctx).problems.join(), /match its own evaluation/);
    // Negative filters and level filters cannot match the query's own text: allowed.
    assert.deepEqual(checkRuleExpression('count_over_time({compose_project="aixcl"} != "query=" | level="error" [5m])', ctx).problems, []);
    // The same text filter over one service that is not a query logger: allowed.
    assert.deepEqual(checkRuleExpression('count_over_time({compose_project="aixcl", compose_service="api"} |= "error" [5m])', ctx).problems, []);
  });

  it("no rule of the default stack counts Loki's or Grafana's log line of its own evaluation", () => {
    const files = Testing.synth(new AixclStack(Testing.app(), 'aixcl'));
    const rules = Object.entries(files)
      .filter(([p]) => p.startsWith('loki/rules/'))
      .flatMap(([, c]) => (parse(c) as Doc).groups.flatMap((g: Doc) => g.rules));
    assert.ok(rules.length >= 2);
    for (const r of rules) {
      for (const svc of ['loki', 'grafana']) {
        assert.equal(countsItsOwnQueryLog(r.expr, { compose_project: 'aixcl', compose_service: svc }), false, `${r.alert ?? r.record} on ${svc}`);
      }
    }
  });
});

describe('rule groups', () => {
  it('write one rule file per group, mounted where the ruler reads tenant fake, checked by the schema', () => {
    const { stack: s, logging, api } = stack(withAlertmanager);
    const g = new RuleGroup(s, 'api-alerts', { loki: logging.loki, interval: Duration.seconds(30) });
    g.addAlert('ApiErrors', { metric: LogMetric.count({ service: api, levels: [LogLevel.ERROR] }), threshold: 3, for: Duration.minutes(1) });
    g.addRecording('ApiLines', { record: 'compose_service:log_lines:rate5m', metric: LogMetric.rate({ service: api }) });
    const docs = Testing.synthDocuments(s) as Record<string, Doc>;
    const file = docs['loki/rules/api-alerts.yml'];
    assert.deepEqual(checkRuleFile(file), []);
    assert.equal(file.groups[0].name, 'api-alerts');
    assert.equal(file.groups[0].interval, '30s');
    const [alert, record] = file.groups[0].rules;
    assert.equal(alert.alert, 'ApiErrors');
    assert.match(alert.expr, /\) > 3$/);
    assert.equal(alert.for, '1m');
    assert.deepEqual(alert.labels, { severity: 'warning', compose_project: 'shop', compose_service: 'api' });
    // The link opens the logs dashboard that exists in the tree, on this service.
    const dashboard = JSON.parse(Testing.synth(s)['grafana/provisioning/dashboards/logs-dashboard.json']);
    assert.equal(alert.annotations.dashboard, `http://localhost:3000/d/${dashboard.uid}?var-service=api`);
    assert.ok(dashboard.templating.list.some((v: Doc) => v.name === 'service'));
    assert.deepEqual(Object.keys(record).sort(), ['expr', 'record']);
    const compose = docs['docker-compose.yml'];
    assert.ok(compose.services.loki.volumes.some((v: Doc) => v.source === './loki/rules' && v.target === '/etc/loki/rules/fake' && v.read_only));
    assert.ok(compose.services.prometheus.command.includes('--web.enable-remote-write-receiver'));
    const loki = docs['loki/loki-config.yml'];
    assert.deepEqual(checkLokiConfig(loki), []);
    assert.equal(loki.ruler.storage.local.directory, '/etc/loki/rules');
    assert.equal(loki.ruler.alertmanager_url, 'http://alertmanager:9093');
    assert.equal(loki.ruler.remote_write.clients.prometheus.url, 'http://prometheus:9090/api/v1/write');
    // Every directory the ruler writes is on the volume uid 10001 owns (loki#9753).
    for (const dir of [loki.ruler.rule_path, loki.ruler.wal.dir]) assert.match(dir, /^\/loki\//);
  });

  it('refuse rules that would never work, with one message each', () => {
    const { stack: s, logging, api } = stack();
    const g = new RuleGroup(s, 'bad', { loki: logging.loki });
    g.addAlert('Log query', { metric: LogMetric.raw('{compose_project="shop", compose_service="api"} |= "x"') });
    g.addAlert('AllServices', { metric: LogMetric.raw('sum(count_over_time({compose_project="shop"}[5m])) > 1') });
    g.addRecording('Rec', { record: 'bad name', metric: LogMetric.count({ service: api }) });
    g.addAlert('OtherProject', { metric: LogMetric.count({ project: 'elsewhere' }) });
    new RuleGroup(s, 'empty', { loki: logging.loki });
    // A stack with an Alertmanager that the Loki does not send to: a wire forgotten.
    new Alertmanager(s, 'alertmanager');
    const msg = problems(s);
    assert.match(msg, /\[shop\/bad\/Log query\] '.*' is a log query/);
    assert.match(msg, /\[shop\/bad\/Log query\] alert name 'Log query'/);
    assert.match(msg, /\[shop\/bad\/AllServices\] the alert cannot name the service/);
    assert.match(msg, /\[shop\/bad\/Rec\] record name 'bad name'/);
    assert.match(msg, /\[shop\/bad\] has alert rules, but shop\/logging\/loki does not send alerts to shop\/alertmanager/);
    assert.match(msg, /\[shop\/bad\] has recording rules, but shop\/logging\/loki writes their series nowhere/);
    assert.match(msg, /\[shop\/bad\] rule OtherProject selects project 'elsewhere'/);
    assert.match(msg, /\[shop\/empty\] has no rules/);
  });

  it('refuse an override the ruler would reject', () => {
    const { stack: s, logging, api } = stack(withAlertmanager);
    const g = new RuleGroup(s, 'g', { loki: logging.loki });
    g.addAlert('A', { metric: LogMetric.count({ service: api }) });
    g.file.addOverride('groups.0.rules.0.keep_firing', '5m');
    assert.match(problems(s), /\[shop\/g\/File\] the rule file would not load in Loki's ruler .*'keep_firing'/);
  });
});

describe('Prometheus rule groups', () => {
  it("name the service, link its logs, and are refused when Prometheus does not send to the stack's Alertmanager or the PromQL is broken", () => {
    const s = new Stack(Testing.app(), 'shop');
    const api = new Service(s, 'api', { image: 'ghcr.io/acme/api:1.0.0', ports: [{ containerPort: 8080 }], metrics: { port: 8080 } });
    const prometheus = new Prometheus(s, 'prometheus');
    new Logging(s, 'logging');
    const g = new PrometheusRuleGroup(s, 'api-metrics', { prometheus });
    g.addAlert('ApiDown', { expr: 'up{job="api"} == 0', service: api, summary: 'down' });
    g.addAlert('Broken', { expr: 'rate(http_requests_total[5m]', service: api, summary: 'x' });
    const alertmanager = new Alertmanager(s, 'alertmanager');
    const msg = problems(s);
    assert.match(msg, /\[shop\/api-metrics\] has alert rules, but shop\/prometheus does not send alerts to shop\/alertmanager/);
    assert.match(msg, /\[shop\/api-metrics\/Broken\] invalid PromQL/);
    g.node.tryRemoveChild('Broken');
    prometheus.sendAlertsTo(alertmanager);
    const docs = Testing.synthDocuments(s) as Record<string, Doc>;
    const rule = docs['prometheus/rules/api-metrics.yml'].groups[0].rules[0];
    assert.deepEqual(rule.labels, { severity: 'warning', compose_project: 'shop', compose_service: 'api' });
    assert.equal(rule.annotations.dashboard, 'http://localhost:3000/d/shop-logs?var-service=api');
    assert.deepEqual(docs['prometheus/prometheus.yml'].rule_files, ['/etc/prometheus/rules/*.yml']);
    assert.deepEqual(docs['prometheus/prometheus.yml'].alerting.alertmanagers[0].static_configs[0].targets, ['alertmanager:9093']);
    const mounts = docs['docker-compose.yml'].services.prometheus.volumes;
    assert.ok(mounts.some((v: Doc) => v.source === './prometheus/rules' && v.target === '/etc/prometheus/rules'));
  });
});

describe('PromQL selecting what its Prometheus never holds', () => {
  function shop() {
    const s = new Stack(Testing.app(), 'shop');
    const api = new Service(s, 'api', { image: 'ghcr.io/acme/api:1.0.0', ports: [{ containerPort: 8080 }], metrics: { port: 8080 } });
    const prometheus = new Prometheus(s, 'prometheus');
    const logging = new Logging(s, 'logging', { loki: { ruler: { remoteWrite: prometheus } } });
    const g = new RuleGroup(s, 'volume', { loki: logging.loki });
    g.addRecording('Lines', { record: 'compose_service:log_lines:rate5m', metric: LogMetric.rate({ service: api }) });
    return { s, api, prometheus, rules: new PrometheusRuleGroup(s, 'api-metrics', { prometheus }) };
  }

  it('refuses a job no scrape config has and a recorded series no rule records, with did-you-mean', () => {
    const { s, api, rules } = shop();
    rules.addAlert('ApiDown', { expr: 'up{job="apii"} == 0', service: api, summary: 'down' });
    rules.addAlert('Quiet', { expr: 'sum(compose_service:log_lines:rate1m) == 0', service: api, summary: 'quiet' });
    rules.addAlert('Fine', { expr: 'up{job=~"api|loki"} == 0 or sum(compose_service:log_lines:rate5m) == 0', service: api, summary: 'x' });
    const msg = problems(s);
    assert.match(
      msg,
      /\[shop\/api-metrics\/ApiDown\] invalid PromQL at line 1, column 8: job="apii" selects nothing: shop\/prometheus only has job "alloy", "api", "grafana", "loki", "prometheus"; did you mean "api"\?/,
    );
    assert.match(
      msg,
      /\[shop\/api-metrics\/Quiet\] invalid PromQL at line 1, column 5: no rule records 'compose_service:log_lines:rate1m' \(a name with ':' is a recorded series\), so it selects nothing in shop\/prometheus: the rules of the stack record compose_service:log_lines:rate5m; did you mean 'compose_service:log_lines:rate5m'\?/,
    );
    assert.doesNotMatch(msg, /Fine/);
  });

  it('does not judge a job or recorded name when a job scrapes outside the stack, or a relabel rule writes job', () => {
    const { s, api, prometheus, rules } = shop();
    prometheus.addScrapeJob({ jobName: 'edge', targets: ['edge.example:9100'] });
    prometheus.config.addOverride('scrape_configs.0.relabel_configs', [{ target_label: 'job', replacement: 'renamed' }]);
    rules.addAlert('Renamed', { expr: 'up{job="renamed"} == 0 or federated:thing:sum > 0', service: api, summary: 'x' });
    assert.doesNotThrow(() => Testing.synth(s));
  });
});

describe('windows and intervals a rule cannot fill', () => {
  it('refuse a log window or a for under the evaluation interval, naming the interval and where it comes from', () => {
    const { stack: s, logging, api } = stack((st) => ({ ...withAlertmanager(st), evaluationInterval: Duration.minutes(2) }));
    const g = new RuleGroup(s, 'g', { loki: logging.loki });
    g.addAlert('Short', { metric: LogMetric.count({ service: api, window: Duration.minutes(1) }), for: Duration.seconds(30) });
    g.addAlert('Raw', { metric: LogMetric.raw('sum by (compose_project, compose_service) (rate({compose_project="shop", compose_service="api"}[30s])) > 1') });
    g.addAlert('AtOnce', { metric: LogMetric.count({ service: api, window: Duration.minutes(2) }), for: Duration.seconds(0) });
    const fast = new RuleGroup(s, 'fast', { loki: logging.loki, interval: Duration.seconds(10) });
    fast.addAlert('Fine', { metric: LogMetric.count({ service: api, window: Duration.seconds(10) }), for: Duration.seconds(10) });
    const msg = problems(s);
    assert.match(
      msg,
      /\[shop\/g\/Short\] counts lines over 1m, less than the evaluation interval of 2m \(shop\/logging\/loki's ruler evaluationInterval\): .*use a window of at least 2m/,
    );
    assert.match(msg, /\[shop\/g\/Short\] for: 30s is less than the evaluation interval of 2m .*write for: 2m or more/);
    assert.match(msg, /\[shop\/g\/Raw\] counts lines over 30s, less than the evaluation interval of 2m/);
    assert.doesNotMatch(msg, /AtOnce|Fine/);
  });

  it('refuse a PromQL rate() over less than two scrapes of its job, and a for under the evaluation interval', () => {
    const s = new Stack(Testing.app(), 'shop');
    const api = new Service(s, 'api', { image: 'ghcr.io/acme/api:1.0.0', ports: [{ containerPort: 8080 }], metrics: { port: 8080 } });
    const prometheus = new Prometheus(s, 'prometheus', { scrapeInterval: Duration.seconds(30), evaluationInterval: Duration.minutes(1) });
    prometheus.addScrapeJob({ jobName: 'slow', targets: ['slow.example:9100'], scrapeInterval: Duration.minutes(1) });
    new Logging(s, 'logging');
    const g = new PrometheusRuleGroup(s, 'api-metrics', { prometheus });
    g.addAlert('ApiErrors', { expr: 'rate(http_errors_total{job="api"}[45s]) > 0', service: api, summary: 'errors' });
    g.addAlert('SlowJob', { expr: 'increase(x_total{job="slow"}[90s]) > 0', service: api, summary: 'x', for: Duration.seconds(20) });
    g.addAlert('Fine', { expr: 'rate(http_errors_total{job="api"}[1m]) > 0 and increase(x_total{job="slow"}[2m]) > 0', service: api, summary: 'x' });
    // Without a job, the global interval cannot be told to apply (a job has its own): not judged.
    g.addAlert('NoJob', { expr: 'rate(x_total[10s]) > 0', service: api, summary: 'x' });
    const msg = problems(s);
    assert.match(
      msg,
      /\[shop\/api-metrics\/ApiErrors\] rate\(http_errors_total\[45s\]\) covers less than two scrapes of its series \(scraped every 30s, shop\/prometheus's scrapeInterval\), so it returns nothing: .*at least 1m/,
    );
    assert.match(
      msg,
      /\[shop\/api-metrics\/SlowJob\] increase\(x_total\[1m30s\]\) covers less than two scrapes of its series \(scraped every 1m, job 'slow'\).*at least 2m/,
    );
    assert.match(msg, /\[shop\/api-metrics\/SlowJob\] for: 20s is less than the evaluation interval of 1m \(shop\/prometheus's evaluationInterval\)/);
    assert.doesNotMatch(msg, /Fine|NoJob/);
  });
});

describe('a wrong or missing required prop of a rule construct (from JavaScript)', () => {
  // What a JavaScript stack can pass, which the types would refuse.
  const js = (props: unknown) => props as never;
  const lines = (s: Stack) =>
    problems(s)
      .split('\n')
      .slice(1)
      .map((l) => l.trim());

  it('is recorded with its fix, and the stand-in group or rule goes on: its other rules are checked, nothing follows from it', () => {
    const { stack: s, logging, api } = stack(withAlertmanager);
    const noLoki = new RuleGroup(s, 'no-loki', js({ loki: 'loki' }));
    assert.equal(noLoki.loki, undefined);
    noLoki.addAlert('Fine', { metric: LogMetric.count({ service: api }) });
    noLoki.addAlert('Bad name', { metric: LogMetric.count({ service: api }) });
    const g = new RuleGroup(s, 'g', { loki: logging.loki });
    g.addAlert('NoMetric', js({ metric: 'count_over_time({compose_service="api"}[5m])' }));
    g.addRecording('NoMetricEither', js({}));
    // A metric built from wrong parts reports those parts, and nothing about what it would select.
    g.addAlert('WrongParts', { metric: LogMetric.count(js({ service: 'api' })) });
    assert.equal(g.rules.length, 3);
    assert.deepEqual(lines(s), [
      "[shop/no-loki] loki must be a Loki, got the string 'loki': pass the Loki construct itself (e.g. logging.loki), not its name or URL",
      `[shop/g/NoMetric] metric must be a LogMetric, got the string 'count_over_time({compose_service="api"}[5m])': wrap a LogQL string in LogMetric.raw(...), or build it: LogMetric.count({ service, levels: [LogLevel.ERROR] })`,
      '[shop/g/NoMetricEither] metric must be a LogMetric, got undefined: write LogMetric.count({ service, ... }), LogMetric.rate(...) or LogMetric.raw(...)',
      "[shop/no-loki/Bad name] alert name 'Bad name' is not usable as the alertname label value routes match: use letters, digits and '_' (e.g. PostgresErrors)",
      "[shop/g/WrongParts] service must be a Service (or a construct that has one, such as Postgres), got the string 'api': pass the construct itself (the object that `new Service(...)` or `new Postgres(...)` returned), not its name",
      "[shop/g/WrongParts] a log metric counts the lines of one service or of one project: give either 'service' (e.g. postgres) or 'project' (the stack)",
    ]);
  });

  it('of a Prometheus rule group or a metric alert rule, likewise', () => {
    const s = new Stack(Testing.app(), 'shop');
    const api = new Service(s, 'api', { image: 'ghcr.io/acme/api:1.0.0', ports: [{ containerPort: 8080 }], metrics: { port: 8080 } });
    const prometheus = new Prometheus(s, 'prometheus');
    new Logging(s, 'logging');
    const noPrometheus = new PrometheusRuleGroup(s, 'no-prometheus', js({ prometheus: 'prometheus' }));
    noPrometheus.addAlert('Down', { expr: 'up{job="api"} == 0', service: api, summary: 'down' });
    const g = new PrometheusRuleGroup(s, 'g', { prometheus });
    g.addAlert('ByName', js({ expr: 'up{job="api"} == 0', service: 'api', summary: 'down' }));
    g.addAlert('NoExpr', js({ service: api, summary: 'down' }));
    assert.deepEqual(lines(s), [
      "[shop/no-prometheus] prometheus must be a Prometheus, got the string 'prometheus': pass the Prometheus construct itself (the object that `new Prometheus(...)` returned)",
      "[shop/g/ByName] service must be a Service (or a construct that has one, such as Postgres), got the string 'api': pass the construct itself (the object that `new Service(...)` or `new Postgres(...)` returned), not its name",
      '[shop/g/NoExpr] expr must be a string, got undefined (it is required)',
    ]);
  });
});
