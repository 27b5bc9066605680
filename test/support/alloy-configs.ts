/**
 * Alloy files for the tests of src/alloy: a representative valid file (each component the library writes or may,
 * wired by references), and one mistake of each class the checker refuses, each made in a copy of the valid file.
 * test/alloy-reference.test.ts runs the checker on them; test/alloy-real-binary.test.ts runs `alloy fmt` and
 * `alloy validate` on the same files.
 */
import { AlloyCall, AlloyRef, attr, block, component, envVar, type AlloyBlock, type AlloyStatement } from '../../src/alloy/alloy-syntax.js';

const DOCKER = 'unix:///var/run/docker.sock';

/** The log pipeline: Docker discovery, relabelling, the Docker source, processing, Loki. */
export function logPipeline(): AlloyStatement[] {
  return [
    block('logging', [attr('level', 'info'), attr('format', 'logfmt')]),
    block('livedebugging', [attr('enabled', false)]),
    component('discovery.docker', 'containers', [
      attr('host', DOCKER),
      attr('refresh_interval', '30s'),
      block('filter', [attr('name', 'label'), attr('values', ['com.docker.compose.project=aixcl'])]),
    ]),
    component('discovery.relabel', 'containers', [
      attr('targets', new AlloyRef('discovery.docker', 'containers', 'targets')),
      block('rule', [attr('source_labels', ['__meta_docker_container_name']), attr('regex', '/(.*)'), attr('target_label', 'container')]),
      block('rule', [attr('source_labels', ['__meta_docker_container_label_com_docker_compose_service']), attr('target_label', 'compose_service')]),
    ]),
    component('loki.source.docker', 'containers', [
      attr('host', DOCKER),
      attr('targets', new AlloyRef('discovery.docker', 'containers', 'targets')),
      attr('relabel_rules', new AlloyRef('discovery.relabel', 'containers', 'rules')),
      attr('forward_to', [new AlloyRef('loki.process', 'logs', 'receiver')]),
    ]),
    component('loki.process', 'logs', [
      attr('forward_to', [new AlloyRef('loki.write', 'default', 'receiver')]),
      block('stage.json', [attr('expressions', { level: 'level', msg: '' })]),
      block('stage.regex', [attr('expression', '^(?P<time>\\S+) (?P<level>[A-Z]+)')]),
      block('stage.labels', [attr('values', { level: '' })]),
      block('stage.multiline', [attr('firstline', '^\\d{4}-\\d{2}-\\d{2}'), attr('max_wait_time', '3s')]),
      block('stage.match', [
        attr('selector', '{compose_service="grafana"}'),
        block('stage.drop', [attr('expression', '.*level=debug.*'), attr('drop_counter_reason', 'debug')]),
      ]),
      block('stage.replace', [attr('expression', 'password=(\\S+)'), attr('replace', '****')]),
      block('stage.static_labels', [attr('values', { source: 'docker' })]),
    ]),
    component('loki.write', 'default', [
      block('endpoint', [attr('url', 'http://loki:3100/loki/api/v1/push'), attr('batch_wait', '1s'), attr('batch_size', '1MiB')]),
      attr('external_labels', { cluster: 'local' }),
    ]),
  ];
}

/** The OpenTelemetry side and Alloy's own metrics, feeding the same Loki writer. */
export function otelPipeline(): AlloyStatement[] {
  const write = component('loki.write', 'default', [block('endpoint', [attr('url', envVar('LOKI_PUSH_URL'))])]);
  return [
    component('otelcol.receiver.otlp', 'default', [
      block('http', [attr('endpoint', '0.0.0.0:4318')]),
      block('output', [attr('logs', [new AlloyRef('otelcol.processor.memory_limiter', 'default', 'input')])]),
    ]),
    component('otelcol.processor.memory_limiter', 'default', [
      attr('check_interval', '1s'),
      attr('limit', '256MiB'),
      block('output', [attr('logs', [new AlloyRef('otelcol.processor.attributes', 'default', 'input')])]),
    ]),
    component('otelcol.processor.attributes', 'default', [
      block('action', [attr('key', 'deployment.environment'), attr('value', 'local'), attr('action', 'upsert')]),
      block('output', [attr('logs', [new AlloyRef('otelcol.processor.batch', 'default', 'input')])]),
    ]),
    component('otelcol.processor.batch', 'default', [
      attr('timeout', '5s'),
      block('output', [attr('logs', [new AlloyRef('otelcol.exporter.loki', 'default', 'input')])]),
    ]),
    component('otelcol.exporter.loki', 'default', [attr('forward_to', [new AlloyRef('loki.write', 'default', 'receiver')])]),
    component('loki.source.api', 'push', [
      block('http', [attr('listen_address', '0.0.0.0'), attr('listen_port', 3500)]),
      attr('forward_to', [new AlloyRef('loki.relabel', 'push', 'receiver')]),
    ]),
    component('loki.relabel', 'push', [
      attr('forward_to', [new AlloyRef('loki.echo', 'debug', 'receiver'), new AlloyRef('loki.write', 'default', 'receiver')]),
      block('rule', [attr('action', 'labeldrop'), attr('regex', 'tmp_.*')]),
    ]),
    component('loki.echo', 'debug', []),
    component('prometheus.exporter.self', 'alloy', []),
    component('discovery.relabel', 'self', [
      attr('targets', new AlloyRef('prometheus.exporter.self', 'alloy', 'targets')),
      block('rule', [attr('target_label', 'job'), attr('replacement', 'alloy')]),
    ]),
    write,
  ];
}

/** The printer's shapes that the pipelines do not have: escapes, quoted keys, lists of objects, nesting, comments. */
export function printerShapes(): AlloyStatement[] {
  return [
    block('logging', [attr('level', 'warn')]),
    component('discovery.relabel', 'shapes', [
      attr('targets', [
        { __address__: 'localhost:12345', 'quoted.key': 'tab\there "quoted" \\ back', unicode: 'é € 😀 \u00a0' },
        { __address__: 'b:2', job: 'x', controls: '\x01\x07\x7f', 'emoji😀': 'a key of astral runes' },
      ]),
      block('rule', [
        attr('source_labels', ['__address__', 'job']),
        attr('separator', ';'),
        attr('regex', '(.+);x'),
        attr('target_label', 'instance'),
        attr('replacement', '$1'),
      ]),
      block('rule', [attr('action', 'keep'), attr('source_labels', ['job']), attr('regex', '^\\w+$')]),
    ]),
    component('loki.echo', 'sink', []),
    component('loki.process', 'shapes', [
      attr('forward_to', [new AlloyRef('loki.echo', 'sink', 'receiver')]),
      block('stage.static_labels', [
        attr('values', { a: '1', 'b-c': '2', long_label_name: envVar('HOSTNAME'), formatted: new AlloyCall('string.format', ['%s-%d', 'x', 1]) }),
      ]),
      block('stage.json', [attr('expressions', {}), attr('regex', 'level=(?P<level>\\w+)'), attr('drop_malformed', true)]),
      block('stage.match', [
        attr('selector', '{a="1"}'),
        block('stage.labels', [attr('values', { level: null })]),
        block('stage.output', [attr('source', 'msg')]),
      ]),
      block('stage.metrics', [
        block('metric.counter', [
          attr('name', 'lines_total'),
          attr('description', 'lines'),
          attr('match_all', true),
          attr('action', 'inc'),
          attr('max_idle_duration', '10m'),
        ]),
      ]),
      block('stage.limit', [attr('rate', 10.5), attr('burst', 20), attr('drop', false)]),
    ]),
  ];
}

/** The top-level block with this name and label. */
function find(statements: AlloyStatement[], name: string, label?: string): AlloyBlock {
  const b = statements.find((s): s is AlloyBlock => s.kind === 'block' && s.name === name && s.label === label);
  if (!b) throw new Error(`no ${name} ${label ?? ''}`);
  return b;
}

/** A copy of `statements` with the top-level block `name "label"` replaced by `edit(block)`. */
function editing(statements: AlloyStatement[], name: string, label: string | undefined, edit: (b: AlloyBlock) => AlloyStatement[]): AlloyStatement[] {
  const target = find(statements, name, label);
  return statements.flatMap((s) => (s === target ? edit(target) : [s]));
}

/** loki.write "default" with its endpoint's statements replaced. */
function withEndpoint(body: AlloyStatement[]): (b: AlloyBlock) => AlloyStatement[] {
  return (b) => [component(b.name, b.label!, [block('endpoint', body)])];
}

/** One mistake: the file, and where and what the checker says (the path exactly, the message by a pattern). */
export interface AlloyMistake {
  readonly name: string;
  readonly statements: AlloyStatement[];
  readonly path: string;
  readonly message: RegExp;
  /**
   * Why `alloy validate` lets this one through (`alloy run` refuses it when it evaluates the file), when it does.
   */
  readonly validateAccepts?: string;
}

/** One file per mistake class, each otherwise the valid log pipeline. */
export function alloyMistakes(): AlloyMistake[] {
  const base = logPipeline;
  const url = attr('url', 'http://loki:3100/loki/api/v1/push');
  return [
    {
      name: 'an unknown component',
      statements: editing(base(), 'loki.write', 'default', (b) => [{ ...b, name: 'loki.wirte' }]),
      path: 'loki.wirte "default"',
      message: /Alloy [\d.a-z-]+ has no component 'loki\.wirte'; did you mean 'loki\.write'\?/,
    },
    {
      name: 'an unknown attribute',
      statements: editing(base(), 'loki.write', 'default', withEndpoint([attr('urll', 'http://loki:3100/loki/api/v1/push')])),
      path: 'loki.write "default" > endpoint > urll',
      message: /unknown attribute 'urll' in loki\.write "default" > endpoint; did you mean 'url'\?/,
    },
    {
      name: 'an unknown block',
      statements: editing(base(), 'loki.write', 'default', (b) => [component(b.name, b.label!, [block('endpont', [url])])]),
      path: 'loki.write "default" > endpont',
      message: /unknown block 'endpont' in loki\.write "default"; did you mean 'endpoint'\?/,
    },
    {
      name: 'a missing required attribute',
      statements: editing(base(), 'loki.write', 'default', withEndpoint([attr('batch_wait', '1s')])),
      path: 'loki.write "default" > endpoint > url',
      message: /the attribute 'url' is required: set url = <string>/,
    },
    {
      name: 'a missing required block',
      statements: [...base(), component('otelcol.processor.batch', 'default', [attr('timeout', '5s')])],
      path: 'otelcol.processor.batch "default" > output',
      message: /the block 'output' is required: add output \{ \.\.\. \}/,
    },
    {
      name: 'a block written twice that may be written once',
      statements: editing(base(), 'loki.write', 'default', (b) => [
        component(b.name, b.label!, [block('endpoint', [url]), block('wal', [attr('enabled', false)]), block('wal', [attr('enabled', true)])]),
      ]),
      path: 'loki.write "default" > wal',
      message: /the 'wal' block may be written once only: merge the two/,
    },
    {
      name: 'two components with the same name and label',
      statements: [...base(), component('loki.write', 'default', [block('endpoint', [url])])],
      path: 'loki.write "default"',
      message: /two components are named 'loki\.write "default"': give one of them another label/,
    },
    {
      name: 'a label that is not an identifier',
      statements: [...base(), component('loki.echo', 'my-echo', [])],
      path: 'loki.echo "my-echo"',
      message: /the label "my-echo" is not an identifier \(letters, digits and _, not starting with a digit\): rename it, e\.g\. "my_echo"/,
    },
    {
      name: 'an attribute name that is not an identifier',
      statements: editing(base(), 'loki.write', 'default', (b) => [component(b.name, b.label!, [block('endpoint', [url]), attr('max-streams', 10)])]),
      path: 'loki.write "default" > max-streams',
      message: /'max-streams' is not an attribute name \(letters, digits and _, not starting with a digit\); did you mean 'max_streams'\?/,
    },
    {
      name: 'a string where a number goes',
      statements: editing(base(), 'loki.write', 'default', (b) => [component(b.name, b.label!, [block('endpoint', [url]), attr('max_streams', 'many')])]),
      path: 'loki.write "default" > max_streams',
      message: /the string "many" is not a number: write a number/,
    },
    {
      name: 'a duration Go does not read',
      statements: editing(base(), 'loki.write', 'default', withEndpoint([url, attr('batch_wait', '1d')])),
      path: 'loki.write "default" > endpoint > batch_wait',
      message: /"1d" is not a Go duration \(time\.ParseDuration: unknown unit "d" in duration\): write e\.g\. "30s"/,
    },
    {
      name: 'a reference to a component the file does not have',
      statements: editing(base(), 'loki.process', 'logs', (b) => [
        { ...b, body: [attr('forward_to', [new AlloyRef('loki.write', 'defualt', 'receiver')]), ...b.body.slice(1)] },
      ]),
      path: 'loki.process "logs" > forward_to[0]',
      message: /loki\.write\.defualt\.receiver refers to loki\.write "defualt", which this file does not have; did you mean 'default'\?/,
    },
    {
      name: 'a reference to an export the component does not have',
      statements: editing(base(), 'loki.process', 'logs', (b) => [
        { ...b, body: [attr('forward_to', [new AlloyRef('loki.write', 'default', 'reciever')]), ...b.body.slice(1)] },
      ]),
      path: 'loki.process "logs" > forward_to[0]',
      message: /loki\.write has no export 'reciever'; did you mean 'receiver'\?/,
      // internal/validator/graph.go and internal/util/ast ResolveTraversal: a reference is resolved to its
      // component only; the rest of it (the export) is looked up when `alloy run` evaluates the file.
      validateAccepts: 'alloy validate resolves a reference to its component only, not to the export',
    },
    {
      name: 'components that refer to each other in a cycle',
      statements: [...base(), component('loki.relabel', 'loop', [attr('forward_to', [new AlloyRef('loki.relabel', 'loop', 'receiver')])])],
      path: 'loki.relabel.loop',
      message: /components refer to each other in a cycle \(loki\.relabel\.loop -> loki\.relabel\.loop\)/,
    },
    {
      name: 'a component below the stability level Alloy runs at',
      statements: [
        ...base(),
        component('loki.enrich', 'hosts', [
          attr('targets', new AlloyRef('discovery.docker', 'containers', 'targets')),
          attr('target_match_label', 'container'),
          attr('forward_to', [new AlloyRef('loki.write', 'default', 'receiver')]),
        ]),
      ],
      path: 'loki.enrich "hosts"',
      message: /loki\.enrich is experimental, below Alloy's stability level generally-available: run Alloy with --stability\.level=experimental/,
    },
    {
      name: 'a regex RE2 refuses',
      statements: editing(base(), 'discovery.relabel', 'containers', (b) => [
        component(b.name, b.label!, [
          b.body[0],
          block('rule', [attr('source_labels', ['__meta_docker_container_name']), attr('regex', '/(?=x).*'), attr('target_label', 'container')]),
        ]),
      ]),
      path: 'discovery.relabel "containers" > rule > regex',
      message:
        /regex "\/\(\?=x\)\.\*" does not compile in Go's RE2 \(error parsing regexp: invalid or unsupported Perl syntax: `\(\?=`\): RE2 has no lookahead/,
    },
  ];
}
