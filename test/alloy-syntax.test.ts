import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AlloyCall,
  AlloyRef,
  attr,
  attrs,
  block,
  component,
  envVar,
  exportOf,
  isAlloyBlockName,
  isAlloyIdentifier,
  quoteAlloy,
  renderAlloy,
} from '../src/alloy/alloy-syntax.js';

/*
 * The printer of src/alloy/alloy-syntax.ts writes what `alloy fmt` writes (syntax/printer of grafana/alloy). The
 * expected texts here are written out by hand from that printer's rules; test/alloy-real-binary.test.ts runs
 * the real `alloy fmt` on the same shapes when a binary is present.
 */

describe('Alloy strings (quoteAlloy)', () => {
  it("writes Go's strconv.Quote: the escapes Go names, \\x for other ASCII controls, \\u and \\U beyond", () => {
    assert.equal(quoteAlloy('plain'), '"plain"');
    assert.equal(quoteAlloy('say "hi" \\ bye'), '"say \\"hi\\" \\\\ bye"');
    assert.equal(quoteAlloy('a\tb\nc\rd'), '"a\\tb\\nc\\rd"');
    assert.equal(quoteAlloy('\x07\b\f\v'), '"\\a\\b\\f\\v"');
    assert.equal(quoteAlloy('\x01\x7f'), '"\\x01\\x7f"');
    // Printable Unicode stays as it is; a non-printing space or separator is escaped, as Go does.
    assert.equal(quoteAlloy('é € 😀'), '"é € 😀"');
    assert.equal(quoteAlloy('\u00a0\u2028'), '"\\u00a0\\u2028"');
    assert.equal(quoteAlloy('\u{e0001}'), '"\\U000e0001"');
    // A regex keeps its backslashes, doubled.
    assert.equal(quoteAlloy('^(\\d+)\\s'), '"^(\\\\d+)\\\\s"');
  });

  it('refuses a lone surrogate, which has no UTF-8 form', () => {
    assert.throws(() => quoteAlloy('a\ud800b'), /lone UTF-16 surrogate/);
  });
});

describe('Alloy names', () => {
  it('tells identifiers and block names apart', () => {
    assert.ok(isAlloyIdentifier('default'));
    assert.ok(isAlloyIdentifier('_x1'));
    assert.ok(isAlloyIdentifier('café'));
    assert.ok(!isAlloyIdentifier('1st'));
    assert.ok(!isAlloyIdentifier('my-label'));
    assert.ok(!isAlloyIdentifier(''));
    assert.ok(isAlloyBlockName('loki.source.docker'));
    assert.ok(!isAlloyBlockName('loki..write'));
    assert.ok(!isAlloyBlockName('loki.write.'));
  });
});

describe('the Alloy printer (renderAlloy)', () => {
  it('aligns the = of a run of attributes, and writes a component with its quoted label', () => {
    const text = renderAlloy([
      component('loki.write', 'default', [
        block('endpoint', [attr('url', 'http://loki:3100/loki/api/v1/push'), attr('batch_wait', '1s'), attr('retry_on_http_429', true)]),
        attr('max_streams', 100),
      ]),
    ]);
    assert.equal(
      text,
      [
        'loki.write "default" {',
        '\tendpoint {',
        '\t\turl               = "http://loki:3100/loki/api/v1/push"',
        '\t\tbatch_wait        = "1s"',
        '\t\tretry_on_http_429 = true',
        '\t}',
        '',
        '\tmax_streams = 100',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('sets blocks apart by a blank line, at the top level and inside a block', () => {
    const text = renderAlloy([
      block('logging', [attr('level', 'info')]),
      component('discovery.docker', 'containers', [
        attr('host', 'unix:///var/run/docker.sock'),
        block('filter', [attr('name', 'label')]),
        block('filter', [attr('name', 'status')]),
      ]),
    ]);
    assert.equal(
      text,
      [
        'logging {',
        '\tlevel = "info"',
        '}',
        '',
        'discovery.docker "containers" {',
        '\thost = "unix:///var/run/docker.sock"',
        '',
        '\tfilter {',
        '\t\tname = "label"',
        '\t}',
        '',
        '\tfilter {',
        '\t\tname = "status"',
        '\t}',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('writes an empty block as `name { }`, and empty lists and objects as [] and {}', () => {
    assert.equal(renderAlloy([block('livedebugging', [])]), 'livedebugging { }\n');
    assert.equal(renderAlloy([component('loki.echo', 'debug', [])]), 'loki.echo "debug" { }\n');
    assert.equal(
      renderAlloy([component('loki.process', 'p', [attr('forward_to', []), block('stage.static_labels', [attr('values', {})])])]),
      ['loki.process "p" {', '\tforward_to = []', '', '\tstage.static_labels {', '\t\tvalues = {}', '\t}', '}', ''].join('\n'),
    );
  });

  it('writes an object one key a line with a trailing comma, quoting keys that are not identifiers', () => {
    const text = renderAlloy([
      component('loki.process', 'labels', [
        attr('forward_to', []),
        block('stage.static_labels', [attr('values', { env: 'prod', 'com.docker.compose.project': 'aixcl', a: null })]),
      ]),
    ]);
    assert.equal(
      text,
      [
        'loki.process "labels" {',
        '\tforward_to = []',
        '',
        '\tstage.static_labels {',
        '\t\tvalues = {',
        '\t\t\tenv                          = "prod",',
        '\t\t\t"com.docker.compose.project" = "aixcl",',
        '\t\t\ta                            = null,',
        '\t\t}',
        '\t}',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('aligns an attribute with a multi-line value with the ones before it, and starts a new run after it', () => {
    const text = renderAlloy([
      component('loki.write', 'w', [
        block('endpoint', [attr('url', 'http://x'), attr('headers', { 'X-Scope-OrgID': 'tenant' }), attr('tenant_id', 't'), attr('batch_size', '1MiB')]),
      ]),
    ]);
    assert.equal(
      text,
      [
        'loki.write "w" {',
        '\tendpoint {',
        '\t\turl     = "http://x"',
        '\t\theaders = {',
        '\t\t\t"X-Scope-OrgID" = "tenant",',
        '\t\t}',
        '\t\ttenant_id  = "t"',
        '\t\tbatch_size = "1MiB"',
        '\t}',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('aligns by runes, as Go’s tabwriter counts, not by UTF-16 units', () => {
    const text = renderAlloy([block('b', [attr('x', { 'k😀😀': 1, kkkk: 2, é: 3 })])]);
    assert.equal(text, ['b {', '\tx = {', '\t\t"k😀😀" = 1,', '\t\tkkkk  = 2,', '\t\té     = 3,', '\t}', '}', ''].join('\n'));
  });

  it('nests objects, each closing brace at its key’s indentation', () => {
    const text = renderAlloy([block('logging', [attr('x', { outer: { inner: 1, longer_key: [1, 2] }, after: true })])]);
    assert.equal(
      text,
      ['logging {', '\tx = {', '\t\touter = {', '\t\t\tinner      = 1,', '\t\t\tlonger_key = [1, 2],', '\t\t},', '\t\tafter = true,', '\t}', '}', ''].join(
        '\n',
      ),
    );
  });

  it('writes a list of plain values on one line, and a list of objects as [{ ... }, { ... }]', () => {
    const text = renderAlloy([
      component('discovery.relabel', 'r', [
        attr('targets', [
          { __address__: 'a:1', job: 'x' },
          { __address__: 'b:2', instance_name: 'y' },
        ]),
        attr('keep', ['a', 'b', 3, false, null]),
      ]),
    ]);
    assert.equal(
      text,
      [
        'discovery.relabel "r" {',
        '\ttargets = [{',
        '\t\t__address__ = "a:1",',
        '\t\tjob         = "x",',
        '\t}, {',
        '\t\t__address__   = "b:2",',
        '\t\tinstance_name = "y",',
        '\t}]',
        '\tkeep = ["a", "b", 3, false, null]',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('refuses a list that mixes objects with other values, and a number Alloy has no literal for', () => {
    assert.throws(() => renderAlloy([block('b', [attr('x', [{ a: 1 }, 'b'])])]), /may hold only objects/);
    assert.throws(() => renderAlloy([block('b', [attr('x', Number.NaN)])]), /Alloy has no number NaN/);
    assert.throws(() => renderAlloy([block('b', [attr('x', Infinity)])]), /Alloy has no number Infinity/);
  });

  it('writes numbers as JavaScript does, which Alloy’s scanner reads (digits, fraction, exponent; - as unary)', () => {
    const text = renderAlloy([block('b', [attr('a', 0.5), attr('b', -3), attr('c', 1e21), attr('d', 1e-7)])]);
    assert.equal(text, ['b {', '\ta = 0.5', '\tb = -3', '\tc = 1e+21', '\td = 1e-7', '}', ''].join('\n'));
  });

  it('writes references and calls as expressions, not strings', () => {
    const write = component('loki.write', 'default', [block('endpoint', [attr('url', envVar('LOKI_URL'))])]);
    const text = renderAlloy([
      component('loki.source.docker', 'containers', [
        attr('host', 'unix:///var/run/docker.sock'),
        attr('targets', new AlloyRef('discovery.docker', 'containers', 'targets')),
        attr('forward_to', [exportOf(write, 'receiver')]),
        attr('labels', { host: new AlloyCall('constants.hostname', []), job: new AlloyCall('string.format', ['%s-%d', 'x', 1]) }),
      ]),
      write,
    ]);
    assert.equal(
      text,
      [
        'loki.source.docker "containers" {',
        '\thost       = "unix:///var/run/docker.sock"',
        '\ttargets    = discovery.docker.containers.targets',
        '\tforward_to = [loki.write.default.receiver]',
        '\tlabels     = {',
        '\t\thost = constants.hostname(),',
        '\t\tjob  = string.format("%s-%d", "x", 1),',
        '\t}',
        '}',
        '',
        'loki.write "default" {',
        '\tendpoint {',
        '\t\turl = sys.env("LOKI_URL")',
        '\t}',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('refuses a reference to an unlabelled block, which has no exports', () => {
    assert.throws(() => exportOf(block('logging', []), 'x'), /has no label/);
  });

  it('leaves out undefined values of attrs(), keeping the record’s order', () => {
    assert.deepEqual(attrs({ b: 1, a: undefined, c: 'x' }), [attr('b', 1), attr('c', 'x')]);
  });

  it('writes a header comment, one // line each, then a blank line', () => {
    assert.equal(
      renderAlloy([block('livedebugging', [])], 'Generated by aixcl-cdk.\n\nDo not edit.'),
      '// Generated by aixcl-cdk.\n//\n// Do not edit.\n\nlivedebugging { }\n',
    );
  });
});
